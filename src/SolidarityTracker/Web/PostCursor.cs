using System.Buffers.Text;

namespace SolidarityTracker.Web;

/// <summary>
/// The API's opaque page cursor: the (created_at, id) of the last post of a page, base64url. Keyset paging, so a
/// page boundary stays where it was while posts are being stored.
/// </summary>
public static class PostCursor
{
    private const string Version = "p1";

    public static string Encode(PostPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}|{TrackerDatabase.ToDb(position.CreatedAt)}|{position.Id.ToString(CultureInfo.InvariantCulture)}"));

    public static PostPosition Decode(string cursor, string parameter = "cursor")
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
            if (parts.Length == 3 && parts[0] == Version && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return new PostPosition(TrackerDatabase.FromDb(parts[1]), id);
        }
        catch (FormatException)
        {
        }
        throw new BadParameterException(parameter, $"{parameter}: not a cursor this server gave out; pass back the \"cursor\" of the previous page as it was");
    }
}
