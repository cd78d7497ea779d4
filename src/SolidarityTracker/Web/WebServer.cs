using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Serilog;
using SolidarityTracker.Rendering;

namespace SolidarityTracker.Web;

/// <summary>
/// The dashboard and JSON API on Kestrel: `serve` runs it alone, `run` beside the worker when Web:Enabled. Pages and
/// endpoints only read and write through the library's stores, exactly as the commands do.
/// </summary>
public static class WebServer
{
    /// <summary>A host builder with the library's services and the web's: Kestrel on Web:Urls, cookie login, antiforgery.</summary>
    public static WebApplicationBuilder CreateBuilder(CliApp app)
    {
        var settings = app.Settings;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory(), Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(app.Configuration);
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(CliApp.CreateLogger(app.Configuration, worker: true), dispose: true);
        builder.WebHost.UseUrls([.. settings.Web.UrlList]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddTracker(settings);
        builder.Services.AddSingleton(app);
        builder.Services.AddSingleton<LabelCorrections>();
        builder.Services.AddSingleton<IncidentCatalog>();
        builder.Services.AddSingleton(new PageRenderer(settings, app.Shipped("templates")));
        builder.Services.AddSingleton(new TemplateFolder(settings.Digest.Templates, app.Shipped("templates")));
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "st_session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/login";
        });
        // Login cookies and form tokens are signed with keys kept in memory: nothing secret is written to disk, and a
        // restart only asks for the password again.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "st_csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.FormFieldName = PageEndpoints.CsrfField;
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        return builder;
    }

    /// <summary>The middleware and endpoints, in the order a request meets them.</summary>
    public static WebApplication Map(WebApplication web)
    {
        web.Use(WebSecurity.Headers);
        web.UseAuthentication();
        web.Use(WebSecurity.Gate);
        ApiEndpoints.Map(web);
        PageEndpoints.Map(web);
        return web;
    }

    /// <summary>The addresses Kestrel listens on once started (a port 0 in Web:Urls becomes the port it was given).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication web) =>
        web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
