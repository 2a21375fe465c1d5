using Microsoft.Playwright;

namespace Ingest.Tests.Web;

/// <summary>
/// Debian's chromium driven by Microsoft.Playwright (never a downloaded browser), one per test class. Missing chromium
/// fails with how to install it. Screenshots for the docs go to <c>docs/images/</c> in the repository.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Where Debian installs chromium.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>A tablet in landscape (the clinic's), CSS pixels.</summary>
    public static readonly ViewportSize Tablet = new() { Width = 1024, Height = 768 };

    /// <summary>A phone (the participant's), CSS pixels.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Instance => _browser ?? throw new InvalidOperationException("the browser is not started");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"{ChromiumPath} is missing: the web page tests drive Debian's chromium. Install it with scripts/install-test-peers.sh (apt-get install chromium).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The machine's network is closed: without the background-networking flags chromium keeps dialling out.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh context (own cookies) at <paramref name="viewport"/>, in <paramref name="locale"/>.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null, string locale = "en-GB")
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? Tablet, Locale = locale });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A screenshot of an image element once the browser has decoded it: an <c>img</c> (even with a data: URI) is
    /// painted after its bytes are decoded, and a screenshot taken before that shows an empty box.
    /// </summary>
    public static async Task<byte[]> ScreenshotOfLoadedImageAsync(IPage page, string selector)
    {
        await page.WaitForFunctionAsync(
            "s => { const i = document.querySelector(s); return i !== null && i.complete && i.naturalWidth > 0; }", selector);
        var image = page.Locator(selector);
        await image.EvaluateAsync("i => i.decode()");
        return await image.ScreenshotAsync(new LocatorScreenshotOptions { Animations = ScreenshotAnimations.Disabled });
    }

    /// <summary>Saves a full-page screenshot as <c>docs/images/NAME.png</c> in the repository (the docs show them).</summary>
    public static async Task ScreenshotForDocsAsync(IPage page, string name)
    {
        var path = Path.Combine(Support.Peers.RepositoryRoot, "docs", "images", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
