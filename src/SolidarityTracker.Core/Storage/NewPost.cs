namespace SolidarityTracker.Storage;

public sealed record NewPost(long Id, Post Post, ClassificationResult Classification);
