#!/usr/bin/env python3
"""A small Tk window that records its input into WAV files: record, stop, a level meter.

A port of python-sounddevice's rec_gui example. Three things run at once and none may block
another: the GUI (main thread), the audio callback (the audio thread: it only queues blocks
and the peak level) and a file-writing thread per recording (soundfile).
"""
import contextlib
import queue
import tempfile
import threading
import tkinter as tk
from tkinter import ttk
from tkinter.simpledialog import Dialog

import numpy as np
import soundfile as sf

import pyrtaudionet as sd


def write_file(blocks: "queue.Queue", **soundfile_args) -> None:
    """File-writing thread: writes the queued blocks until None arrives."""
    with sf.SoundFile(**soundfile_args) as file:
        while (block := blocks.get()) is not None:
            file.write(block)


class SettingsWindow(Dialog):
    """Chooses the host API and the input device; ``result`` is (api, device id) or None."""

    def body(self, master):
        ttk.Label(master, text="Host API:").pack(anchor="w")
        self.apis = sd.query_hostapis()
        self.api_list = ttk.Combobox(master, state="readonly", width=50, values=[api["name"] for api in self.apis])
        self.api_list.pack()
        ttk.Label(master, text="Input device:").pack(anchor="w")
        self.device_ids = []
        self.device_list = ttk.Combobox(master, state="readonly", width=50)
        self.device_list.pack()
        self.api_list.bind("<<ComboboxSelected>>", self.list_devices)
        with contextlib.suppress(sd.PortAudioError):
            self.api_list.current(sd.default.hostapi)
            self.api_list.event_generate("<<ComboboxSelected>>")

    def list_devices(self, *args):
        api = self.apis[self.api_list.current()]
        inputs = [sd.query_devices(i, api=api["api"]) for i in api["devices"]]
        inputs = [device for device in inputs if device["max_input_channels"] > 0]
        self.device_ids = [device["index"] for device in inputs]
        self.device_list["values"] = [device["name"] for device in inputs]
        if api["default_input_device"] in self.device_ids:
            self.device_list.current(self.device_ids.index(api["default_input_device"]))

    def validate(self):
        if self.device_list.current() < 0:
            return False
        self.result = (self.apis[self.api_list.current()]["api"], self.device_ids[self.device_list.current()])
        return True


class RecGui(tk.Tk):
    def __init__(self):
        super().__init__()
        self.title("Recording GUI")
        buttons = ttk.Frame(self)
        self.rec_button = ttk.Button(buttons)
        self.rec_button.pack(side="left", padx=10, pady=10)
        self.settings_button = ttk.Button(buttons, text="settings", command=self.on_settings)
        self.settings_button.pack(side="left", padx=10, pady=10)
        buttons.pack(expand=True, padx=10, pady=10)
        self.file_label = ttk.Label(self, text="<file name>")
        self.file_label.pack(anchor="w")
        self.status_label = ttk.Label(self)
        self.status_label.pack(anchor="w")
        self.meter = ttk.Progressbar(self, orient="horizontal", mode="determinate", maximum=1.0)
        self.meter.pack(fill="x")

        self.input_overflows = 0
        self.recording = self.was_recording = False
        self.blocks: "queue.Queue" = queue.Queue()
        self.peak = 0.0
        self.levels: "queue.Queue" = queue.Queue(maxsize=1)
        self.writer = None
        self.stream = None
        self.open_stream()  # the default device; the settings may choose another
        self.protocol("WM_DELETE_WINDOW", self.close_window)
        self.show_buttons()
        self.update_gui()

    def open_stream(self, api=None, device=None):
        if self.stream is not None:
            self.stream.close()
        self.stream = sd.InputStream(api=api, device=device, channels=1, callback=self.audio_callback)
        self.stream.start()

    def audio_callback(self, indata, frames, time, status):
        """Audio thread: queues blocks while recording (None once it stopped) and the peak level."""
        if status.input_overflow:
            self.input_overflows += 1  # only this thread writes it
        if self.recording:
            self.blocks.put(indata.copy())
            self.was_recording = True
        elif self.was_recording:
            self.blocks.put(None)
            self.was_recording = False
        self.peak = max(self.peak, float(np.abs(indata).max()))
        with contextlib.suppress(queue.Full):
            self.levels.put_nowait(self.peak)
            self.peak = 0.0

    def on_rec(self):
        self.settings_button["state"] = "disabled"
        filename = tempfile.mktemp(prefix="rec_gui_", suffix=".wav", dir="")
        self.writer = threading.Thread(target=write_file, kwargs=dict(
            blocks=self.blocks, file=filename, mode="x", samplerate=int(self.stream.samplerate),
            channels=self.stream.channels))
        self.writer.start()
        self.recording = True
        self.rec_button.configure(text="stop", command=self.on_stop)
        self.file_label["text"] = filename

    def on_stop(self, *args):
        self.rec_button["state"] = "disabled"
        self.recording = False
        self.after(10, self.wait_for_writer)

    def wait_for_writer(self):
        """Polls (never blocking the GUI) until the writer has written the last block."""
        if self.writer.is_alive():
            self.after(10, self.wait_for_writer)
            return
        self.show_buttons()

    def on_settings(self, *args):
        chosen = SettingsWindow(self, "Settings").result
        if chosen is not None:
            self.open_stream(*chosen)

    def show_buttons(self):
        self.rec_button.configure(text="record", command=self.on_rec, state="normal")
        self.settings_button["state"] = "normal"

    def update_gui(self):
        self.status_label["text"] = f"input overflows: {self.input_overflows}"
        with contextlib.suppress(queue.Empty):
            self.meter["value"] = self.levels.get_nowait()
        self.after(100, self.update_gui)

    def close_window(self):
        if self.recording:
            self.on_stop()
            self.after(10, self.close_window)  # once the writer has finished
            return
        if self.writer is not None and self.writer.is_alive():
            self.after(10, self.close_window)
            return
        self.stream.close()
        self.destroy()


if __name__ == "__main__":
    RecGui().mainloop()
