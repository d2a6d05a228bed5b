using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using ReferralDirectory.Api.Infrastructure;
using ReferralDirectory.Exchange;
using ReferralDirectory.Exchange.Csv;
using ReferralDirectory.Listings;
using ReferralDirectory.Places;
using ReferralDirectory.Storage;

namespace ReferralDirectory.Api.Admin;

/// <summary>Where an import job is: checking the file (rows read so far), writing (rows written of all), or done.</summary>
public enum ImportJobState { Checking, Writing, Finished, Refused, Stopped }

/// <summary>A job's state as the staff page shows it (an immutable copy: the job moves on while a page renders).</summary>
public sealed record ImportJobView(string Id, string FileName, ImportFormat Format, string StartedBy, DateTimeOffset StartedAt, ImportJobState State,
    long Done, long? Total, ImportReport? Report, int FailedRows)
{
    public bool Over => State is ImportJobState.Finished or ImportJobState.Refused or ImportJobState.Stopped;
}

/// <summary>
/// The staff pages' imports run in the background, one at a time per instance: a real run of the CSV or HSDS importer
/// (<see cref="ImportFiles.RunAsync"/>, small batches so its progress moves), cancelled when the service stops (the batches
/// written so far stay: each is one store transaction and importing the file again is idempotent). Its progress is read by
/// the job page while it runs; when it ends, one audit entry (action <see cref="SummaryAction"/>, no listing) records
/// the file's summary: rows, created, updated, unchanged and failed, in the name of the editor who started it. The
/// instance keeps the last <see cref="Kept"/> jobs' states (ids are random: a job is found only by its link).
/// </summary>
public sealed partial class ImportJobs(DirectoryService directory, Gazetteer gazetteer, DirectoryMetrics metrics, ILogger<ImportJobs> log, CancellationToken stopping)
{
    public const string SummaryAction = "import-summary";
    public const int Kept = 20;

    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private Job? _running;

    /// <summary>The running job, if any.</summary>
    public ImportJobView? Running { get { lock (_gate) return _running?.View(); } }

    public ImportJobView? Get(string id) => _jobs.TryGetValue(id, out var job) ? job.View() : null;

    /// <summary>Starts importing the file at <paramref name="path"/> (the job deletes it when done); null when another
    /// import is running on this instance (then the file is left to the caller).</summary>
    public ImportJobView? Start(string path, string fileName, ImportFormat format, Actor actor)
    {
        Job job;
        lock (_gate)
        {
            if (_running is not null) return null;
            job = new Job(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), fileName, format, actor, directory.Time.GetUtcNow());
            _running = job;
            _jobs[job.Id] = job;
            _order.Enqueue(job.Id);
            while (_order.Count > Kept) _jobs.TryRemove(_order.Dequeue(), out _);
        }
        job.Task = Task.Run(() => RunAsync(job, path), CancellationToken.None);
        return job.View();
    }

    private async Task RunAsync(Job job, string path)
    {
        try
        {
            var progress = new InlineProgress(p => job.Report(p));
            var outcome = await ImportFiles.RunAsync(directory, gazetteer, metrics, job.Actor, path, job.Format, dryRun: false, progress, ImportFiles.JobBatchSize, stopping);
            job.Finish(outcome.Report);
            await AuditAsync(job, outcome.Report);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            job.Stop();
            await AuditAsync(job, null);
        }
        catch (Exception e)
        {
            JobFailed(log, e, job.Id);
            job.Stop();
            await AuditAsync(job, null);
        }
        finally
        {
            File.Delete(path);
            lock (_gate) if (ReferenceEquals(_running, job)) _running = null;
        }
    }

    private async Task AuditAsync(Job job, ImportReport? report)
    {
        var view = job.View();
        string N(long n) => n.ToString(CultureInfo.InvariantCulture);
        var rows = report?.Rows ?? view.Total ?? view.Done;
        IReadOnlyList<FieldChange> counts = report is null
            ? [new("rows", null, N(rows)), new("written", null, N(view.Done))]
            : [new("rows", null, N(rows)), new("created", null, N(report.Created)), new("updated", null, N(report.Updated)),
               new("unchanged", null, N(report.Unchanged)), new("failed", null, N(view.FailedRows))];
        static string Count(long n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
        var what = job.Format == ImportFormat.Csv ? "CSV" : "HSDS";
        var note = report is null
            ? $"{what} file {job.FileName}: stopped with the service after {view.Done} of {rows} rows; run it again to finish (rows already written are unchanged)."
            : report.ProblemCount > 0 && report.Created + report.Updated + report.Unchanged == 0
                ? $"{what} file {job.FileName}: {rows} rows; nothing was written: {Count(report.ProblemCount, "problem")} in {Count(view.FailedRows, "row")}."
                : $"{what} file {job.FileName}: {rows} rows; {report.Created} created, {report.Updated} updated, {report.Unchanged} unchanged, {view.FailedRows} failed.";
        try
        {
            // Written even while the service stops: the summary of what was written must not be lost.
            await directory.Store.AppendAuditAsync(directory.Audit(job.Actor, SummaryAction, null, counts, note), CancellationToken.None);
        }
        catch (Exception e)
        {
            SummaryNotWritten(log, e, job.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Import job {JobId} failed.")]
    private static partial void JobFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The summary of import job {JobId} was not written to the audit log.")]
    private static partial void SummaryNotWritten(ILogger logger, Exception exception, string jobId);

    /// <summary>Reports on the importer's own thread (not through a synchronization context), so the job's state is current when the importer returns.</summary>
    private sealed class InlineProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    private sealed class Job(string id, string fileName, ImportFormat format, Actor actor, DateTimeOffset startedAt)
    {
        private readonly object _gate = new();
        private ImportJobState _state = ImportJobState.Checking;
        private long _done;
        private long? _total;
        private ImportReport? _report;

        public string Id => id;
        public ImportFormat Format => format;
        public Actor Actor => actor;
        public string FileName => fileName;
        public Task? Task { get; set; }

        public void Report(ImportProgress p)
        {
            lock (_gate)
            {
                if (p.Phase == "validate") { _done = p.Rows; return; }
                // Every row was validated before the first is written: the total is known.
                if (_state == ImportJobState.Checking) { _total = _done; _state = ImportJobState.Writing; }
                _done = p.Rows;
            }
        }

        public void Finish(ImportReport report)
        {
            lock (_gate)
            {
                _report = report;
                _total = report.Rows;
                var written = report.Created + report.Updated + report.Unchanged;
                _state = report.ProblemCount == 0 ? ImportJobState.Finished : written == 0 ? ImportJobState.Refused : ImportJobState.Stopped;
                _done = report.ProblemCount == 0 ? report.Rows : written;
            }
        }

        public void Stop()
        {
            lock (_gate) _state = ImportJobState.Stopped;
        }

        public ImportJobView View()
        {
            lock (_gate)
            {
                return new ImportJobView(id, fileName, format, actor.Name, startedAt, _state, _done, _total, _report,
                    _report is null ? 0 : ImportFiles.FailedRows(_report));
            }
        }
    }
}
