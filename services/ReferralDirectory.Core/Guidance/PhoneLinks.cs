namespace ReferralDirectory.Guidance;

/// <summary>
/// The link that dials or texts a guidance number: <c>tel:+18883737888</c> for 1-888-373-7888 and 800-700-1650,
/// <c>tel:911</c>, <c>tel:*55</c> (a star code keeps its star), <c>sms:233733</c> for a text number.
/// </summary>
public static class PhoneLinks
{
    public const string Voice = "voice";
    public const string Text = "text";

    public static bool IsKnownType(string type) => type is Voice or Text;

    public static string For(string number, string type)
    {
        var star = number.StartsWith('*');
        var digits = new string([.. number.Where(char.IsAsciiDigit)]);
        if (type == Text) return "sms:" + digits;
        if (star) return "tel:*" + digits;
        return digits.Length switch
        {
            10 => "tel:+1" + digits,
            11 when digits[0] == '1' => "tel:+" + digits,
            _ => "tel:" + digits,
        };
    }
}
