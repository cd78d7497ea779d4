using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Sources;
using SolidarityTracker.Sources.Rss;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Sources.Rss;

/// <summary>The rss source against a real HTTP server on loopback: what it asks, what it makes of the answers.</summary>
public sealed class RssSourceTests : IAsyncLifetime
{
    private FeedServer _feeds = null!;
    private ServiceProvider _services = null!;
    private RssSource _source = null!;
    // Far from the wall clock, so an answer read off the wall clock instead of the TimeProvider shows.
    private readonly ManualClock _clock = new(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        _feeds = await FeedServer.StartAsync();
        var settings = new TrackerSettings(new TrackerOptions(), new SourcesOptions(), new PollingOptions { RequestTimeout = TimeSpan.FromSeconds(3) }, new DigestOptions(), TimeZoneInfo.Utc);
        _services = new ServiceCollection().AddHttpClient(TrackerServices.SourcesHttpClient).Services.BuildServiceProvider();
        _source = new RssSource(_services.GetRequiredService<IHttpClientFactory>(), settings, _clock, NullLogger<RssSource>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _feeds.DisposeAsync();
    }

    private AccountState Account(string path, string? cursor = null) => new()
    {
        Id = 1, AgencyId = "dallas", Platform = Platforms.Rss, Handle = _feeds.Url(path), Cursor = cursor,
    };

    private SourceContext Context(bool profileDue = true) => new(_feeds.Now, TimeSpan.FromDays(3), profileDue);

    private async Task<List<SourcePage>> FetchAsync(AccountState account, SourceContext? context = null)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in _source.FetchAsync(account, context ?? Context(), CancellationToken.None)) pages.Add(page);
        return pages;
    }

    [Fact]
    public async Task A_first_poll_keeps_only_items_newer_than_the_backfill_start_and_reads_the_profile()
    {
        _feeds.ServeFile("/feed", "dallas-pd.xml");

        var page = Assert.Single(await FetchAsync(Account("/feed")));

        Assert.Equal(1, page.Requests);
        Assert.Equal(3, page.Posts.Count);
        Assert.All(page.Posts, p => Assert.True(p.CreatedAt >= _feeds.Now.AddDays(-3)));
        Assert.All(page.Posts, p => Assert.Equal(TimeSpan.Zero, p.CreatedAt.Offset));
        Assert.All(page.Posts, p => Assert.Equal("dallas", p.AgencyId));
        Assert.All(page.Posts, p => Assert.Equal(_feeds.Url("/feed"), p.Account));
        Assert.All(page.Posts, p => Assert.Equal("en-us", p.Lang));
        Assert.Equal("Dallas Police Department – News", page.Profile?.DisplayName);
        Assert.Equal("https://dallaspolice.example/images/badge-mourning.png", page.Profile?.AvatarUrl);
        var cursor = JsonDocument.Parse(page.Cursor!).RootElement;
        Assert.StartsWith("\"", cursor.GetProperty("etag").GetString());
        Assert.EndsWith("GMT", cursor.GetProperty("lastModified").GetString());
    }

    [Fact]
    public async Task A_changed_feed_carries_its_profile_even_when_the_profile_is_not_due()
    {
        _feeds.ServeFile("/feed", "baton-rouge.atom");

        var page = Assert.Single(await FetchAsync(Account("/feed"), Context(profileDue: false)));

        Assert.Equal("Baton Rouge Police Department", page.Profile?.DisplayName);
        Assert.Equal("https://brpd.example/images/logo-black-band.png", page.Profile?.AvatarUrl);
    }

    [Fact]
    public async Task The_cursor_sends_a_conditional_get_and_a_304_is_one_empty_page_that_keeps_the_cursor()
    {
        _feeds.ServeFile("/feed", "baton-rouge.atom");
        var first = Assert.Single(await FetchAsync(Account("/feed")));

        var second = Assert.Single(await FetchAsync(Account("/feed", first.Cursor)));

        var request = _feeds.RequestsTo("/feed")[1];
        var cursor = JsonDocument.Parse(first.Cursor!).RootElement;
        Assert.Equal(cursor.GetProperty("etag").GetString(), request.Header("If-None-Match"));
        Assert.Equal(cursor.GetProperty("lastModified").GetString(), request.Header("If-Modified-Since"));
        Assert.Empty(second.Posts);
        Assert.Null(second.Cursor);
        Assert.Equal(1, second.Requests);
        Assert.Null(second.Profile);
    }

    [Fact]
    public async Task Later_polls_keep_the_first_polls_backfill_floor()
    {
        _feeds.ServeFile("/feed", "dallas-pd.xml");
        var cursor = JsonSerializer.Serialize(new { etag = "\"old\"", lastModified = (string?)null, since = _feeds.Now.AddDays(-1.5) });

        var page = Assert.Single(await FetchAsync(Account("/feed", cursor), Context() with { Backfill = TimeSpan.FromDays(1000) }));

        // Items from 1 day and 30 hours ago; the 2-day-old and the 400-day-old ones are below the stored floor.
        Assert.Equal(2, page.Posts.Count);
        Assert.Equal(_feeds.Now.AddDays(-1.5), JsonDocument.Parse(page.Cursor!).RootElement.GetProperty("since").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(404, SourceErrorKind.NotFound)]
    [InlineData(410, SourceErrorKind.NotFound)]
    [InlineData(401, SourceErrorKind.Unauthorized)]
    [InlineData(403, SourceErrorKind.Unauthorized)]
    [InlineData(500, SourceErrorKind.Transient)]
    [InlineData(503, SourceErrorKind.Transient)]
    [InlineData(408, SourceErrorKind.Transient)]
    [InlineData(429, SourceErrorKind.RateLimited)]
    [InlineData(400, SourceErrorKind.Malformed)]
    public async Task An_http_error_becomes_the_matching_source_error(int status, SourceErrorKind kind)
    {
        _feeds.ServeStatus("/feed", status);

        var error = await Assert.ThrowsAsync<SourceException>(() => FetchAsync(Account("/feed")));

        Assert.Equal(kind, error.Kind);
        Assert.Contains($"HTTP {status}", error.Message);
    }

    [Fact]
    public async Task A_429_is_rate_limited_until_retry_after_on_the_tracker_clock()
    {
        _feeds.ServeStatus("/feed", 429, new Dictionary<string, string> { ["Retry-After"] = "120" });

        var error = await Assert.ThrowsAsync<SourceException>(() => FetchAsync(Account("/feed")));

        Assert.Equal(SourceErrorKind.RateLimited, error.Kind);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(120), error.RetryAfter);
    }

    [Theory]
    [InlineData("malformed.xml", "not well-formed XML")]
    [InlineData("not-a-feed.html", "not an RSS 2.0 or Atom feed")]
    public async Task A_body_that_is_not_a_feed_is_malformed(string file, string message)
    {
        _feeds.ServeFile("/feed", file);

        var error = await Assert.ThrowsAsync<SourceException>(() => FetchAsync(Account("/feed")));

        Assert.Equal(SourceErrorKind.Malformed, error.Kind);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task An_empty_body_is_malformed()
    {
        _feeds.ServeBytes("/feed", Encoding.UTF8.GetBytes("  \n"));

        var error = await Assert.ThrowsAsync<SourceException>(() => FetchAsync(Account("/feed")));

        Assert.Equal(SourceErrorKind.Malformed, error.Kind);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public async Task A_response_beyond_the_size_limit_is_refused()
    {
        var huge = new byte[RssSource.MaxFeedBytes + 1];
        Array.Fill(huge, (byte)' ');
        _feeds.ServeBytes("/feed", huge);

        var error = await Assert.ThrowsAsync<SourceException>(() => FetchAsync(Account("/feed")));

        Assert.Equal(SourceErrorKind.Malformed, error.Kind);
        Assert.Contains("MB limit", error.Message);
    }

    [Fact]
    public async Task A_slow_response_times_out_as_transient()
    {
        _feeds.ServeFile("/feed", "dallas-pd.xml", delay: TimeSpan.FromSeconds(8));

        var error = await Assert.ThrowsAsync<SourceException>(() => FetchAsync(Account("/feed")));

        Assert.Equal(SourceErrorKind.Transient, error.Kind);
        Assert.Equal("timed out after 3 s", error.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        var account = Account("/feed") with { Handle = "http://127.0.0.1:1/feed" };

        var error = await Assert.ThrowsAsync<SourceException>(() => FetchAsync(account));

        Assert.Equal(SourceErrorKind.Transient, error.Kind);
    }
}
