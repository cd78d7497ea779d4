namespace SolidarityTracker.Storage;

/// <summary>What the dashboard's post page shows: the post, its earlier texts, its account's profile at the time, its corrections.</summary>
public sealed record PostDetails(StoredPost Stored, IReadOnlyList<PostVersion> Versions, ProfileSnapshot? Profile, IReadOnlyList<LabelCorrection> Corrections);
