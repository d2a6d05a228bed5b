using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests;

/// <summary>Stops the shared Cosmos-protocol server (if a test started it) after the last test of the assembly.</summary>
[SetUpFixture]
public sealed class CosmosServerTeardown
{
    [OneTimeTearDown]
    public void Stop() => CosmosServer.StopShared();
}
