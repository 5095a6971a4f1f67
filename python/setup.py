"""Only the wheel's tag lives here (everything else is in pyproject.toml): the wheel carries a
native library (the bridge, linked to the system's RtAudio and libjack) but no Python extension,
so it is tagged py3-none-<platform> — any CPython 3.11+ on this platform."""

from setuptools import setup
from wheel.bdist_wheel import bdist_wheel


class PlatformWheel(bdist_wheel):
    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> tuple[str, str, str]:
        return "py3", "none", super().get_tag()[2]


setup(cmdclass={"bdist_wheel": PlatformWheel})
