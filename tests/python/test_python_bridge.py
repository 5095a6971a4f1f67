"""The Python bridge, scenario by scenario, on a private JACK dummy server. Run on the release
interpreter and, through tools/debug-python/run, on python3.11d with PYTHONMALLOC=debug."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, run_scenario

pytestmark = pytest.mark.usefixtures("jack_server")
REPEATS = 50


def test_interpreter_under_test_is_reported() -> None:
    print(f"interpreter: {sys.executable}, debug build: {hasattr(sys, 'gettotalrefcount')}")
    assert sys.version_info[:2] == (3, 11)


@pytest.mark.parametrize("run", range(REPEATS))
def test_seed_import_clr_create_rtaudio_exit(run: int) -> None:
    assert "devices:" in run_scenario("seed").stdout


def test_python_callback_stream_runs_for_two_seconds() -> None:
    run_scenario("callback_stream")


def test_python_callback_output_reaches_jack_in_self_loopback() -> None:
    assert "first signal frame: 64" in run_scenario("loopback").stdout


@pytest.mark.parametrize("run", range(REPEATS))
def test_exit_with_the_stream_still_running(run: int) -> None:
    run_scenario("exit_running")


@pytest.mark.parametrize("run", range(REPEATS))
def test_running_stream_dropped_collected_then_exit(run: int) -> None:
    run_scenario("drop_running")


@pytest.mark.parametrize("kind", ["time", "cpu_load", "active", "stop_start", "write", "read", "query_devices"])
def test_exit_while_daemon_threads_keep_calling_the_library(kind: str) -> None:
    assert run_scenario("exit_busy", kind).stdout.startswith(f"{kind}: exiting after")


def test_callback_exception_aborts_is_reraised_by_stop_and_close_and_later_calls_warn() -> None:
    out = run_scenario("callback_raises").stdout
    assert "StopStream re-raised Boom('boom at call 10')" in out
    assert "CloseStream re-raised Boom('boom at call 10')" in out
    assert "StopStream warned ['RtApiJack::stopStream(): the stream is already stopped!']" in out
    assert "CloseStream warned ['RtApiJack::closeStream(): no open stream to close!']" in out


def test_stop_from_another_thread_and_from_inside_the_callback_return_promptly() -> None:
    run_scenario("stop_threads")


# N for each scenario of scenarios/repetition.py, which runs it 10·N times after a warm-up (N >= its
# MIN_N); make soak multiplies them by PRTN_REPETITION_SCALE. The .NET objects through pythonnet,
# the cheapest, run longest.
REPETITIONS = {"raw": 100, "memoryview_callback": 12, "numpy_callback": 12, "dropped": 12, "raises": 12, "blocking": 12,
               "transfers": 12, "queries": 12, "refusals": 12, "server_loss": 12}
REPETITION_SCALE = int(os.environ.get("PRTN_REPETITION_SCALE", "1"))


@pytest.mark.parametrize(("scenario", "n"), REPETITIONS.items())
def test_repetition_grows_nothing_the_process_holds(scenario: str, n: int) -> None:
    n *= REPETITION_SCALE
    refusals = scenario == "refusals"
    out = run_scenario("repetition", scenario, str(n), timeout=900 * REPETITION_SCALE,
                       env={"PULSE_SERVER": "unix:/nonexistent/pulse"} if refusals else None).stdout
    assert f"{scenario}: nothing grew over {10 * n} iterations" in out, out


def test_buffers_kept_after_the_callback_and_after_close_stay_valid() -> None:
    assert "kept buffers: 3" in run_scenario("kept_buffers").stdout


def test_a_callback_cannot_resize_the_bytearray_behind_its_released_buffer() -> None:
    out = run_scenario("released_view").stdout
    assert out.startswith("refused: Existing exports of data: object cannot be re-sized") and out.rstrip().endswith("ok"), out


@pytest.mark.parametrize("mode", ["callback", "blocking"])
def test_server_killed_under_a_running_stream_is_reported_and_survived(mode: str) -> None:
    # The callback case leaves its second lost stream unclosed: the exit handler closes it and says why it failed.
    left_at_exit = [r"pyrtaudionet: a stream closed at exit had failed: CloseStream: the stream failed while running: "
                    r"the JACK server 'loss-[0-9a-f]{8}' shut down .*"]
    outcome = run_scenario("server_loss", mode, expected_stderr=left_at_exit if mode == "callback" else ())
    assert outcome.stdout.rstrip().endswith("ok")


def test_stop_and_close_from_finished_callback_callback_other_thread_and_twice() -> None:
    out = run_scenario("reentrant").stdout
    assert out.count(": ok") == 6, out


@pytest.mark.parametrize("mode", ["blocking", "callback"])
def test_eight_threads_calling_at_random_for_ten_seconds(mode: str) -> None:
    out = run_scenario("chaos", mode, "10", timeout=120).stdout
    assert out.rstrip().endswith("ok"), out


def test_callbacks_that_return_raise_write_the_wrong_shape_or_sleep_too_long() -> None:
    out = run_scenario("bad_callbacks").stdout
    assert "must return None" in out and "KeyError" in out and "broadcast" in out and out.rstrip().endswith("ok")


ASAN_BRIDGE = REPO / "artifacts" / "native-asan" / "libpyrtaudionet_native.so"


@pytest.mark.parametrize("scenario", ["kept_buffers", "released_view", "exit_busy cpu_load", "seed", "drop_running", "reentrant"])
def test_scenario_with_the_bridge_built_with_address_sanitizer(scenario: str) -> None:
    assert ASAN_BRIDGE.exists(), f"{ASAN_BRIDGE} is missing: make test-native builds it"
    # ASan first; libstdc++ with it, so that ASan's __cxa_throw interceptor finds the real one.
    preload = " ".join(subprocess.run(["gcc", f"-print-file-name={library}"], capture_output=True, text=True, check=True).stdout.strip()
                       for library in ("libasan.so", "libstdc++.so"))
    run_scenario(*scenario.split(), env={"LD_PRELOAD": preload, "PYRTAUDIONET_NATIVE_LIBRARY": str(ASAN_BRIDGE),
                                         # .NET handles SIGSEGV itself (null checks); leaks are the native suite's job
                                         "ASAN_OPTIONS": "detect_leaks=0:handle_segv=0:allow_user_segv_handler=1:halt_on_error=1"})
