"""The seed case: load the CLR, `import clr`, create an RtAudio object, exit."""
import _common  # noqa: F401  # makes `import clr` work (hosts .NET unless embedded)
import clr  # type: ignore  # noqa: F401
from PyRtAudioNet import RtAudio  # type: ignore

audio = RtAudio()
print("devices:", audio.GetDeviceCount())
