using System.Runtime.CompilerServices;
using PyRtAudioNet.Interop;

namespace PyRtAudioNet.Tests;

public sealed class StructLayoutTests
{
    [Test]
    public void ManagedStructsMatchNativeSizes()
    {
        Assert.Multiple(() =>
        {
            Assert.That((nuint)Unsafe.SizeOf<NativeDeviceInfo>(), Is.EqualTo(NativeMethods.SizeOfDeviceInfo()));
            Assert.That((nuint)Unsafe.SizeOf<NativeStreamParameters>(), Is.EqualTo(NativeMethods.SizeOfStreamParameters()));
            Assert.That((nuint)Unsafe.SizeOf<NativeStreamOptions>(), Is.EqualTo(NativeMethods.SizeOfStreamOptions()));
            Assert.That((nuint)Unsafe.SizeOf<NativeStreamStats>(), Is.EqualTo(NativeMethods.SizeOfStreamStats()));
        });
    }
}
