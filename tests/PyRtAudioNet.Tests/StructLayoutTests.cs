using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using PyRtAudioNet.Interop;

namespace PyRtAudioNet.Tests;

/// <summary>Each managed mirror of a prtn.h struct has the native size, and each of its fields the native offset.</summary>
public sealed class StructLayoutTests
{
    [TestCase(typeof(NativeDeviceInfo), "prtn_device_info")]
    [TestCase(typeof(NativeStreamParameters), "prtn_stream_parameters")]
    [TestCase(typeof(NativeStreamOptions), "prtn_stream_options")]
    [TestCase(typeof(NativeStreamStats), "prtn_stream_stats")]
    [TestCase(typeof(NativeDurationSummary), "prtn_duration_summary")]
    [TestCase(typeof(NativeBlockingOptions), "prtn_blocking_options")]
    [TestCase(typeof(NativeTransfer), "prtn_transfer")]
    public void ManagedStructMatchesTheNativeSizeAndFieldOffsets(Type managed, string native)
    {
        var fields = managed.GetFields(BindingFlags.Instance | BindingFlags.Public);
        Assert.That(fields, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            Assert.That((nuint)Marshal.SizeOf(managed), Is.EqualTo(NativeMethods.Layout(native, null)), $"sizeof({native})");
            foreach (var field in fields)
            {
                string name = NativeName(field.Name, native);
                Assert.That((nuint)Marshal.OffsetOf(managed, field.Name), Is.EqualTo(NativeMethods.Layout(native, name)), $"offsetof({native}, {name})");
            }
        });
    }

    [Test]
    public void UnknownNamesAreAnswered()
    {
        Assert.That(NativeMethods.Layout("prtn_stream_stats", "no_such_field"), Is.EqualTo(nuint.MaxValue));
        Assert.That(NativeMethods.Layout("no_such_struct", null), Is.EqualTo(nuint.MaxValue));
    }

    /// <summary>The C name of a managed field: snake case (OutputChannels: output_channels); durations carry a unit (P50: p50_us).</summary>
    private static string NativeName(string managed, string native)
    {
        var name = new StringBuilder();
        foreach (char c in managed)
        {
            if (char.IsUpper(c) && name.Length > 0)
                name.Append('_');
            name.Append(char.ToLowerInvariant(c));
        }
        return native == "prtn_duration_summary" && managed != "Count" ? name + "_us" : name.ToString();
    }
}
