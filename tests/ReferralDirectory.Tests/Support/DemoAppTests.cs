namespace ReferralDirectory.Tests.Support;

/// <summary>A fixture with one running service over the demo directory, shared by its tests.</summary>
public abstract class DemoAppTests
{
    protected DirectoryApp App { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartApp()
    {
        App = new DirectoryApp();
        Client = App.Client();
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        Client.Dispose();
        App.Dispose();
        App.DeleteFiles();
    }
}
