using System.Net;
using System.Net.Sockets;

namespace SolidarityTracker.Tests.Support;

public static class LoopbackPorts
{
    /// <summary>A loopback port nobody listens on now: for a server about to start there, or for "the server is down".</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
