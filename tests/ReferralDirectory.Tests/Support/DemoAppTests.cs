namespace ReferralDirectory.Tests.Support;

/// <summary>A fixture with one running service over the demo directory, shared by its tests.</summary>
public abstract class DemoAppTests
{
    protected DirectoryApp App { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    /// <summary>The app this fixture runs; override for other settings.</summary>
    protected virtual DirectoryApp CreateApp() => new();

    [OneTimeSetUp]
    public void StartApp()
    {
        App = CreateApp();
        Client = App.Client();
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        Client.Dispose();
        App.Dispose();
    }
}
