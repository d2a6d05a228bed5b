using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Storage;

/// <summary>The store contract on the Cosmos DB store, against the Cosmos-protocol server on loopback.</summary>
public sealed class CosmosStoreTests : DirectoryStoreContract
{
    private string _database = null!;

    protected override async Task<IDirectoryStore> CreateStoreAsync()
    {
        _database = "rd-" + Guid.NewGuid().ToString("N");
        var store = CosmosServer.Instance.Store(_database);
        await store.InitializeAsync();
        return store;
    }

    protected override IDirectoryStore SecondClient() => CosmosServer.Instance.Store(_database);

    [Test]
    public async Task Initialize_is_idempotent_and_creates_the_container_with_spatial_indexes()
    {
        await Store.InitializeAsync();
        await SecondClient().InitializeAsync();
        using var client = ReferralDirectory.Storage.Cosmos.CosmosClientFactory.Create(CosmosServer.Instance.Options(_database));
        var props = (await client.GetContainer(_database, "directory").ReadContainerAsync()).Resource;
        Assert.That(props.PartitionKeyPath, Is.EqualTo("/pk"));
        Assert.That(props.IndexingPolicy.SpatialIndexes.Select(s => s.Path), Is.EqualTo(new[] { "/geo/locations/*", "/geo/serviceAreas/*" }));
    }
}
