// Corpus: routing by header (the Go SDK "http_routing" example): the x-tenant header picks the upstream cluster by
// setting x-route-cluster, and canary traffic gets a path prefix.
using System;
using ProxyWasm;

namespace Corpus.RoutingByHeader;

[HttpFilter("routing")]
public partial struct RoutingByHeader
{
    private static ReadOnlySpan<byte> DefaultCluster => "tenant-default"u8;

    [OnRequestHeaders]
    public FilterHeadersStatus OnRequestHeaders(RequestHeaders headers, bool endOfStream)
    {
        ReadOnlySpan<byte> tenant = headers.GetValue("x-tenant"u8);
        headers.Replace("x-route-cluster"u8, ClusterFor(tenant));

        if (headers.GetValue("x-canary"u8).SequenceEqual("1"u8))
        {
            ReadOnlySpan<byte> path = headers.GetValue(":path"u8);
            if (path.Length <= 2048)
            {
                var canaryPath = new Utf8ValueBuilder(stackalloc byte[2056]);
                canaryPath.Append("/canary"u8);
                canaryPath.Append(path);
                headers.Replace(":path"u8, canaryPath.AsSpan());
                canaryPath.Dispose();
            }
        }

        return FilterHeadersStatus.Continue;
    }

    private static ReadOnlySpan<byte> ClusterFor(ReadOnlySpan<byte> tenant)
    {
        if (tenant.SequenceEqual("acme"u8))
        {
            return "tenant-acme"u8;
        }

        if (tenant.SequenceEqual("globex"u8))
        {
            return "tenant-globex"u8;
        }

        return tenant.StartsWith("internal-"u8) ? "tenant-internal"u8 : DefaultCluster;
    }
}
