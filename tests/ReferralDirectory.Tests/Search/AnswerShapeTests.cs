using System.Text;
using System.Text.Json;
using ReferralDirectory.Generation;
using ReferralDirectory.Search;
using ReferralDirectory.Storage;
using ReferralDirectory.Tests.Support;

namespace ReferralDirectory.Tests.Search;

/// <summary>
/// An answer's size depends on what it was asked for (limit, page size), not on how large the directory is: the same
/// searches over 1,000 and 50,000 generated listings give answers of the same size, with capped lists (servingThisPlace,
/// hotlines) whose totals tell how many more there are. Pages have the sizes asked for. Long work stops when cancelled.
/// </summary>
[TestFixture]
public sealed class AnswerShapeTests
{
    private DirectoryApp _small = null!, _large = null!;
    private HttpClient _smallClient = null!, _largeClient = null!;

    private static readonly (double Lat, double Lon)[] Points =
        [(34.0522, -118.2437), (40.7128, -74.0060), (41.8781, -87.6298), (29.7604, -95.3698), (38.6270, -90.1994), (47.6062, -122.3321),
         (33.4484, -112.0740), (39.7392, -104.9903), (25.7617, -80.1918), (42.3601, -71.0589), (37.7749, -122.4194), (36.1627, -86.7816)];

    private static async Task<DirectoryApp> Start(int listings)
    {
        var path = Path.Combine(Path.GetTempPath(), "rd-tests", Guid.NewGuid().ToString("N"), "directory.db");
        var store = new SqliteDirectoryStore(path, TimeProvider.System);
        await store.InitializeAsync();
        foreach (var chunk in new DirectoryGenerator(7).Generate(listings).Chunk(10_000)) await store.CreateManyAsync(chunk);
        return new DirectoryApp(path, seedDemo: false, ownsFile: true);
    }

    [OneTimeSetUp]
    public async Task StartBoth()
    {
        _small = await Start(1_000);
        _large = await Start(50_000);
        _smallClient = _small.Client();
        _largeClient = _large.Client();
    }

    [OneTimeTearDown]
    public void StopBoth()
    {
        _smallClient.Dispose(); _largeClient.Dispose();
        _small.Dispose(); _large.Dispose();
    }

    private static string Q((double Lat, double Lon) p) => FormattableString.Invariant($"lat={p.Lat}&lon={p.Lon}");

    [Test]
    public async Task A_nearest_answer_is_no_larger_at_50000_listings_than_its_caps_allow()
    {
        var whole = new Dictionary<string, List<int>> { ["1k"] = [], ["50k"] = [] };
        var cards = new Dictionary<string, List<int>> { ["1k"] = [], ["50k"] = [] };
        foreach (var p in Points)
        {
            foreach (var (client, directory) in new[] { (_smallClient, "1k"), (_largeClient, "50k") })
            {
                var raw = await client.GetStringAsync($"/v1/resources/nearest?{Q(p)}&service=case-management");
                whole[directory].Add(Encoding.UTF8.GetByteCount(raw));
                var body = JsonDocument.Parse(raw).RootElement;
                Assert.That(body.Items("results").Count(), Is.EqualTo(10), $"{directory} at {Q(p)}");
                cards[directory].Add(body.GetProperty("results").GetRawText().Length);
                var serving = body.GetProperty("servingThisPlace");
                Assert.That(serving.Items("results").Count(), Is.LessThanOrEqualTo(3), "servingThisPlace is capped");
                Assert.That(serving.GetProperty("total").GetInt32(), Is.GreaterThanOrEqualTo(serving.Items("results").Count()));
                var hotlines = body.Items("hotlines").Select(h => h.GetProperty("coverage").GetString()).ToArray();
                Assert.That(hotlines.Count(c => c == "nationwide"), Is.LessThanOrEqualTo(2), "at most two national lines");
                Assert.That(hotlines.Count(c => c == "state"), Is.LessThanOrEqualTo(2), "at most two of the state's");
                Assert.That(hotlines.Count(c => c is "county" or "area"), Is.LessThanOrEqualTo(2), "at most two local ones");
                Assert.That(hotlines.Distinct().ToArray(), Is.EqualTo(hotlines.Distinct().OrderBy(c => c == "nationwide" ? 0 : c == "state" ? 1 : 2).ToArray()), "national, state, local");
                Assert.That(body.Items("hotlines").Select(h => h.GetProperty("id").GetString()), Is.Unique, "each hotline once");
            }
        }
        static int Median(List<int> sizes) => sizes.Order().ElementAt(sizes.Count / 2);
        TestContext.Out.WriteLine($"median nearest-10: {Median(whole["1k"])} bytes at 1,000 listings, {Median(whole["50k"])} at 50,000 " +
                                  $"(max {whole["1k"].Max()} and {whole["50k"].Max()}); its ten cards {Median(cards["1k"])} and {Median(cards["50k"])}");
        // The ten cards are the same size; the rest differs only by how full the capped lists are (a 1,000-listing
        // directory has fewer hotlines and statewide listings to fill them), and never passes the caps.
        Assert.That((double)Median(cards["50k"]) / Median(cards["1k"]), Is.InRange(0.9, 1.1), "ten cards, whatever the directory's size");
        Assert.That(Median(whole["50k"]), Is.LessThanOrEqualTo(6_144), "the median nearest-10 answer is at most 6 KB");
        Assert.That(whole["50k"].Max(), Is.LessThan(7_000), "no answer grows with the directory");
    }

    [Test]
    public async Task The_listings_serving_a_place_are_many_more_than_shown_and_all_of_them_are_paged()
    {
        // A whole state's worth of statewide and nationwide listings: the nearest answer shows three and counts them all.
        var nearest = await _largeClient.GetJsonAsync($"/v1/resources/nearest?{Q(Points[0])}");
        var serving = nearest.GetProperty("servingThisPlace");
        var total = serving.GetProperty("total").GetInt32();
        Assert.That(total, Is.GreaterThan(50), "many listings serve Los Angeles in a 50,000-listing directory");
        Assert.That(serving.Items("results").Count(), Is.EqualTo(3));
        // Paging /serving from the nearest answer's cursor, page by page, gives every one of them once.
        var seen = new List<string>(serving.Ids("results"));
        var next = serving.GetProperty("next").GetString();
        var pages = 0;
        while (next is not null)
        {
            var page = await _largeClient.GetJsonAsync(next.Replace("cursor=", "limit=100&cursor=", StringComparison.Ordinal));
            Assert.That(page.Items("results").Count(), Is.LessThanOrEqualTo(100));
            seen.AddRange(page.Ids("results"));
            next = page.TryGetProperty("nextCursor", out var c) ? next[..next.IndexOf("cursor=", StringComparison.Ordinal)] + "cursor=" + Uri.EscapeDataString(c.GetString()!) : null;
            pages++;
        }
        Assert.That(seen, Has.Count.EqualTo(total).And.Unique);
        Assert.That(pages, Is.GreaterThan(0));
    }

    [TestCase("/v1/resources?state=CA", 20, "results")]
    [TestCase("/v1/resources?state=CA&limit=7", 7, "results")]
    [TestCase("/v1/resources/serving?lat=34.0522&lon=-118.2437", 20, "results")]
    [TestCase("/v1/resources/serving?lat=34.0522&lon=-118.2437&limit=5", 5, "results")]
    [TestCase("/hsds/services", 50, "contents")]
    [TestCase("/hsds/organizations?per_page=13", 13, "contents")]
    public async Task Pages_have_the_size_asked_for(string url, int size, string list)
    {
        var body = await _largeClient.GetJsonAsync(url);
        Assert.That(body.Items(list).Count(), Is.EqualTo(size));
    }

    [Test]
    public void Long_work_stops_when_the_request_is_cancelled()
    {
        var index = new DirectoryIndex(ReferralDirectory.Safety.ConfidentialLocationPolicy.Default, ReferralDirectory.Places.Gazetteer.Default);
        index.Load(new DirectoryGenerator(3).Generate(20_000));
        var snap = index.Current;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var now = DateTimeOffset.UtcNow;
        Assert.Throws<OperationCanceledException>(() => snap.Browse(new BrowseQuery { Text = "zzz" }, now, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => snap.CountWithin(34.05, -118.24, 500, SearchFilter.None, now, exact: false, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => snap.Covering(snap.Place(34.05, -118.24), SearchFilter.None, now, 20, null, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => new DirectorySearch(index, TimeProvider.System).Nearest(
            new NearestRequest(34.05, -118.24, 10, SearchFilter.None, null, false, 3), cancelled.Token));
        // Not cancelled, the same work answers.
        Assert.That(snap.Browse(new BrowseQuery { Text = "hope", Limit = 5 }, now).Items, Has.Count.EqualTo(5));
    }
}
