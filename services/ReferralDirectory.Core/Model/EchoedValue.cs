namespace ReferralDirectory.Model;

/// <summary>
/// A value a caller sent, repeated in a message about it ("Unknown service code 'x'"), is cut to
/// <see cref="MaxLength"/> characters and an ellipsis: enough to recognise it, never a whole hostile payload.
/// </summary>
public static class EchoedValue
{
    public const int MaxLength = 40;

    public static string Shown(string? value) =>
        value is null ? "" : value.Length > MaxLength ? value[..MaxLength] + "…" : value;
}
