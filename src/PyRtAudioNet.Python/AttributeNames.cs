using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// The attribute names the bridge looks up in Python, one <c>str</c> object each for the
/// interpreter's life. CPython's type attribute cache (4096 slots, keyed by the name object's
/// address) keeps a reference to each name it caches: a new <c>str</c> per lookup, as
/// pythonnet's <c>InvokeMethod(string)</c> and <c>GetAttr(string)</c> make, takes a slot that
/// keeps it alive: stream opens kept about one allocated block each until the cache filled. Reused, a name
/// keeps its one slot. Threading: GIL held; the names are released when pythonnet shuts down.
/// </summary>
internal static class AttributeNames
{
    private static readonly Dictionary<string, PyString> Names = [];

    /// <summary>The one <c>str</c> for <paramref name="name"/>.</summary>
    internal static PyString Get(string name)
    {
        if (Names.TryGetValue(name, out var known))
            return known;
        if (Names.Count == 0)
            PythonEngine.AddShutdownHandler(Release);
        var created = new PyString(name);
        Names.Add(name, created);
        return created;
    }

    private static void Release()
    {
        foreach (var name in Names.Values)
            name.Dispose();
        Names.Clear();
    }
}
