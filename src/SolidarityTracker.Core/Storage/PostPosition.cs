namespace SolidarityTracker.Storage;

/// <summary>Where a post stands in the order of every query: oldest first, ties by stored id.</summary>
public readonly record struct PostPosition(DateTimeOffset CreatedAt, long Id)
{
    public static PostPosition Of(StoredPost post) => new(post.Post.CreatedAt, post.Id);
}
