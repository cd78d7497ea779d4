using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace SolidarityTracker.Tests.Support;

/// <summary>A real SMTP server on 127.0.0.1 (the SmtpServer package, a free port, no TLS); every message that arrives is kept, parsed.</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();
    /// <summary>The logins tried (user, password) when the server asks for one.</summary>
    public ConcurrentQueue<(string User, string Password)> Logins { get; } = new();
    public int Port { get; }

    private SmtpTestServer(int port, (string User, string Password)? login)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(IPAddress.Loopback, port));
                // Loopback only: plain-text AUTH is fine here and lets the test see the credentials arrive.
                if (login is not null) e.AllowUnsecureAuthentication(true).AuthenticationRequired(true);
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        if (login is { } expected) services.Add(new Authenticator(this, expected));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public static async Task<SmtpTestServer> StartAsync((string User, string Password)? login = null)
    {
        var server = new SmtpTestServer(LoopbackPorts.Free(), login);
        // Wait until it accepts connections.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, server.Port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new InvalidOperationException("SMTP test server did not start");
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try { await _running.WaitAsync(TimeSpan.FromSeconds(5)); } catch (OperationCanceledException) { } catch (TimeoutException) { }
        _stop.Dispose();
    }

    private sealed class Authenticator(SmtpTestServer owner, (string User, string Password) expected) : SmtpServer.Authentication.IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            owner.Logins.Enqueue((user, password));
            return Task.FromResult(user == expected.User && password == expected.Password);
        }
    }

    private sealed class Store(SmtpTestServer owner) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            owner.Messages.Enqueue(MimeMessage.Load(stream, cancellationToken));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
