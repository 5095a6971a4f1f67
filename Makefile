# PyRtAudioNet — `make demo` runs the main job, `make test` runs every test.
# Both set themselves up (idempotently): Debian packages, NuGet restore, native build.

SHELL := /bin/bash
CONFIGURATION ?= Release
DOTNET ?= dotnet
PYTHON ?= /usr/bin/python3.11
DEBIAN_PACKAGES := librtaudio-dev libjack-jackd2-dev jackd2 cmake g++ pkg-config python3.11 libpython3.11 python3.11-dbg python3-numpy python3-soundfile python3-matplotlib python3-tk xvfb xauth xz-utils python3-pytest libgtest-dev pulseaudio pulseaudio-utils libasound2-plugins python3-build python3-setuptools python3-wheel python3.11-venv
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
PY_LIB := python/pyrtaudionet/_lib

.PHONY: bench docs soak fuzz pack wheel test-packages setup build test format-check native-asan test-native test-rtaudio6 test-dotnet test-python test-python-debug demo demo-dotnet clean

setup:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@command -v $(DOTNET) >/dev/null || { echo "The .NET 10 SDK is missing: see https://learn.microsoft.com/dotnet/core/install/linux-debian"; exit 1; }
	$(DOTNET) restore PyRtAudioNet.sln

# Native bridge (CMake, via the PyRtAudioNet project), managed assemblies, and the Python
# package's private copy of both plus Python.Runtime.dll (and, for the command line's
# --jack-dummy, PyRtAudioNet.JackDummy.dll with its jack-dummy-server). That copy is ReadyToRun
# (compiled ahead of time for this machine's runtime identifier): `import pyrtaudionet` then does not wait
# for the JIT (-50 ms). The package's bytecode is compiled too, as a wheel install does: run from
# the tree with PYTHONDONTWRITEBYTECODE set, each import compiled it again (~10 ms).
PY_PUBLISH := artifacts/python-lib
RID := linux-$(if $(filter aarch64,$(shell uname -m)),arm64,x64)
build: setup
	$(DOTNET) build PyRtAudioNet.sln -c $(CONFIGURATION) --no-restore
	$(DOTNET) publish src/PyRtAudioNet.Python -c $(CONFIGURATION) -r $(RID) --self-contained false -p:PublishReadyToRun=true -o $(PY_PUBLISH)
	$(DOTNET) publish src/PyRtAudioNet.JackDummy -c $(CONFIGURATION) --no-restore -o $(PY_PUBLISH)
	rm -rf $(PY_LIB) && mkdir -p $(PY_LIB)
	cp $(PY_PUBLISH)/{PyRtAudioNet.dll,PyRtAudioNet.Python.dll,PyRtAudioNet.Python.runtimeconfig.json,Python.Runtime.dll,PyRtAudioNet.JackDummy.dll,jack-dummy-server,libpyrtaudionet_native.so} $(PY_LIB)/
	$(PYTHON) -m compileall -q python/pyrtaudionet

test: build format-check test-native test-rtaudio6 test-dotnet test-python test-python-debug test-packages

format-check:
	$(DOTNET) format PyRtAudioNet.sln --verify-no-changes --no-restore

# The bridge's GoogleTest suite (native/tests) on its own JACK dummy server, built twice: plainly,
# and with AddressSanitizer + UBSan, where LeakSanitizer also checks every create/open/close/destroy.
NATIVE_TEST_DIRS := artifacts/native-test artifacts/native-asan
test-native: setup native-asan
	cmake -S native -B artifacts/native-test -DPRTN_TESTS=ON
	for dir in $(NATIVE_TEST_DIRS); do cmake --build $$dir -j2 && ctest --test-dir $$dir --output-on-failure || exit 1; done

# The bridge built against RtAudio 6.0.1 (Debian 13's; tools/rtaudio6 builds it into artifacts/)
# instead of the system's 5.2: the native suite, plainly and with the sanitizers; then, through
# that bridge (PYRTAUDIONET_NATIVE_LIBRARY), the .NET suite and the core Python scenarios: the
# bridge's (all but the repetition and sanitizer runs, which make test-python has), PulseAudio,
# ALSA and a stream's loss.
RTAUDIO6 := $(CURDIR)/artifacts/rtaudio6
RTAUDIO6_BRIDGE := $(CURDIR)/artifacts/native-rtaudio6-OFF/libpyrtaudionet_native.so
RTAUDIO6_PYTEST_ARGS := tests/python/test_python_bridge.py tests/python/test_pulse.py tests/python/test_alsa.py \
  tests/python/test_stream_loss.py -v -p no:cacheprovider -k "not repetition and not address_sanitizer"
test-rtaudio6: build
	sh tools/rtaudio6 $(RTAUDIO6)
	for sanitize in OFF ON; do \
	  dir=artifacts/native-rtaudio6-$$sanitize; \
	  PKG_CONFIG_PATH=$(RTAUDIO6)/lib/pkgconfig cmake -S native -B $$dir -DPRTN_TESTS=ON -DPRTN_SANITIZE=$$sanitize && \
	  cmake --build $$dir -j2 && ctest --test-dir $$dir --output-on-failure || exit 1; \
	done
	PYRTAUDIONET_NATIVE_LIBRARY=$(RTAUDIO6_BRIDGE) $(PYTHON) tools/dotnet-test $(DOTNET) test tests/PyRtAudioNet.Tests -c $(CONFIGURATION) --no-build
	PYRTAUDIONET_NATIVE_LIBRARY=$(RTAUDIO6_BRIDGE) PYTHONPATH=python tools/fail-on-stderr $(PYTHON) -m pytest $(RTAUDIO6_PYTEST_ARGS)

# The bridge built with ASan + UBSan: the native tests, and Python scenarios through
# PYRTAUDIONET_NATIVE_LIBRARY, use it.
native-asan: setup
	cmake -S native -B artifacts/native-asan -DPRTN_TESTS=ON -DPRTN_SANITIZE=ON
	cmake --build artifacts/native-asan -j2

# tools/dotnet-test repeats any failure at the end of the output.
test-dotnet:
	$(PYTHON) tools/dotnet-test $(DOTNET) test tests/PyRtAudioNet.Tests -c $(CONFIGURATION) --no-build --logger "console;verbosity=normal"

PYTEST_ARGS := tests/python -v -p no:cacheprovider --ignore=tests/python/test_packages.py
# Anything the pytest process itself prints on stderr (at exit, say) fails the run.
test-python: native-asan
	PYTHONPATH=python tools/fail-on-stderr $(PYTHON) -m pytest $(PYTEST_ARGS)

# The same suite on python3.11d with PYTHONMALLOC=debug (see tools/debug-python/README.md).
test-python-debug: native-asan
	PYTHONPATH=python tools/fail-on-stderr tools/debug-python/run -m pytest $(PYTEST_ARGS)

# The NuGet packages (PyRtAudioNet with the native bridge under runtimes/linux-x64/native, and
# PyRtAudioNet.Python) and the Python wheel, in artifacts/nuget and artifacts/wheel.
pack: build
	rm -rf artifacts/nuget
	$(DOTNET) pack src/PyRtAudioNet -c $(CONFIGURATION) --no-build -o artifacts/nuget
	$(DOTNET) pack src/PyRtAudioNet.Python -c $(CONFIGURATION) --no-build -o artifacts/nuget

wheel: build
	rm -rf artifacts/wheel python/build python/pyrtaudionet.egg-info
	$(PYTHON) -m build --wheel --no-isolation --outdir artifacts/wheel python
	rm -rf python/build python/pyrtaudionet.egg-info

# Installs both the way users do, outside the repository, and plays on a JACK dummy server.
test-packages: pack wheel
	PYTHONPATH=python $(PYTHON) -m pytest tests/python/test_packages.py -v -p no:cacheprovider

# docs/reference.md from the code (tests/python/test_docs.py fails when it is stale).
docs: build
	PYTHONPATH=python $(PYTHON) tools/docs/reference.py

# Endurance, outside make test: the repetition scenarios ten times as long (10,000 iterations of
# the .NET objects through pythonnet) on the debug interpreter, and a 10-minute blocking duplex self-loopback that
# must lose, duplicate and reorder no sample while a Python thread hogs the GIL.
soak: build native-asan
	PRTN_REPETITION_SCALE=10 PRTN_INTEGRITY_SECONDS=600 PYTHONPATH=python tools/debug-python/run -m pytest $(PYTEST_ARGS) -k "repetition or lossless"

# The fuzzer (tests/python/test_fuzz.py) at length: FUZZ_CASES cases on python3.11, then a third
# as many on python3.11d, from FUZZ_SEED (a new one each run unless given: the failures print it).
FUZZ_CASES ?= 3000
FUZZ_SEED ?= $(shell date +%s)
fuzz: build
	PRTN_FUZZ_SEED=$(FUZZ_SEED) PRTN_FUZZ_CASES=$(FUZZ_CASES) PYTHONPATH=python $(PYTHON) -m pytest tests/python/test_fuzz.py -s -p no:cacheprovider
	PRTN_FUZZ_SEED=$(FUZZ_SEED) PRTN_FUZZ_CASES=$$(( $(FUZZ_CASES) / 3 )) PYTHONPATH=python tools/debug-python/run -m pytest tests/python/test_fuzz.py -s -p no:cacheprovider

# Devices, a 440 Hz tone and a loopback record (level, round-trip latency) through the
# Python CLI; without a running JACK server it starts a private JACK dummy server.
demo: build
	PYTHONPATH=python $(PYTHON) -m pyrtaudionet --jack-dummy demo

# The same tone from .NET (src/PyRtAudioNet.Demo).
demo-dotnet: build
	$(DOTNET) run --project src/PyRtAudioNet.Demo -c $(CONFIGURATION) --no-build

# Callback cost side by side (C floor, bridge, .NET, Python, PyAudio; CPU time, and instructions
# under callgrind) -> docs/benchmarks.md. The C and Python floors (native/bench) embed CPython:
# the native build makes them once its embedding library (libpython3.11-dev) is installed.
BENCH_PACKAGES := python3-pyaudio valgrind libpython3.11-dev
bench: build
	@for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$p; done
	cmake -S native -B artifacts/native >/dev/null && cmake --build artifacts/native --target prtn_bench_floor --parallel
	PYTHON=$(PYTHON) $(PYTHON) bench/run.py

clean:
	rm -rf artifacts $(PY_LIB)
	$(DOTNET) clean PyRtAudioNet.sln -c $(CONFIGURATION) >/dev/null
