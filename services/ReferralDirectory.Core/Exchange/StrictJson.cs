using System.Text;
using System.Text.Json;
using ReferralDirectory.Model;

namespace ReferralDirectory.Exchange;

/// <summary>
/// JSON the directory accepts must say one thing: a field given twice (<c>{"name":"a","name":"b"}</c>) would be
/// read as either value depending on the reader, and text holding a lone surrogate (<c>"\ud800"</c>) is not text at
/// all. Every body route (admin writes, both imports) checks its JSON with this rule before reading it, and answers
/// a 400 problem naming the field.
/// </summary>
public static class StrictJson
{
    /// <summary>The first violation: (JSON path, plain message), or null when the JSON is acceptable. Malformed JSON is
    /// left to the reader that follows (it names the place itself).</summary>
    public static (string Path, string Message)? Check(ReadOnlySpan<byte> utf8, int maxDepth = 64)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var names = new Stack<HashSet<string>?>();
        var path = new List<string>();
        var arrayIndex = new Stack<int>();
        string? pending = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        Enter();
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        Enter();
                        names.Push(null);
                        arrayIndex.Push(0);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (names.Pop() is null) arrayIndex.Pop();
                        if (path.Count > 0) path.RemoveAt(path.Count - 1);
                        AfterValue();
                        break;
                    case JsonTokenType.PropertyName:
                        string name;
                        try { name = reader.GetString()!; }
                        catch (InvalidOperationException) { return (Path(path, "?"), "The field name is not valid text (it holds a lone surrogate)."); }
                        if (names.Peek() is { } set && !set.Add(name)) return (Path(path, name), $"The field '{Shown(name)}' is given twice; give it once.");
                        pending = name;
                        break;
                    case JsonTokenType.String:
                        try { reader.GetString(); }
                        catch (InvalidOperationException) { return (Path(path, CurrentName()), "Not valid text: it holds a lone surrogate (such as \\ud800) that is no character."); }
                        AfterValue();
                        break;
                    default:
                        AfterValue();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;

        void Enter()
        {
            path.Add(CurrentName());
            pending = null;
        }

        string CurrentName()
        {
            if (pending is not null) return pending;
            if (arrayIndex.Count > 0 && names.Count > 0 && names.Peek() is null) return "[" + arrayIndex.Peek() + "]";
            return "";
        }

        void AfterValue()
        {
            pending = null;
            if (names.Count > 0 && names.Peek() is null && arrayIndex.Count > 0) arrayIndex.Push(arrayIndex.Pop() + 1);
        }
    }

    /// <summary>A JSON path ($.phones[0].number) from its segments.</summary>
    private static string Path(List<string> segments, string last)
    {
        var sb = new StringBuilder("$");
        foreach (var s in segments.Append(last))
        {
            if (s.Length == 0) continue;
            if (s[0] == '[') sb.Append(s); else sb.Append('.').Append(s);
        }
        return sb.ToString();
    }

    private static string Shown(string s) => EchoedValue.Shown(s);
}
