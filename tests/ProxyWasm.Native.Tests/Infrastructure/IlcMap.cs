using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace ProxyWasm.Native.Tests.Infrastructure;

/// <summary>ILC's map of a native image (<c>IlcGenerateMapFile</c>: obj/…/native/&lt;Name&gt;.map.xml).</summary>
internal static class IlcMap
{
    /// <summary>The names of every node in the image (methods, statics, types, dispatch cells), mangled as NativeAOT
    /// names symbols.</summary>
    public static List<string> NodeNames(string mapFile)
    {
        XDocument map = XDocument.Load(mapFile);
        var names = map.Root!.Elements().Select(e => (string?)e.Attribute("Name")).OfType<string>().ToList();
        Assert.True(names.Count > 100, $"{mapFile} lists only {names.Count} nodes.");
        return names;
    }
}
