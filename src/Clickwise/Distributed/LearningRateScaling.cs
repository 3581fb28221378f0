namespace Clickwise.Distributed;

/// <summary>
/// How the learning rate follows the global batch when N ranks train together: unchanged, × √N (the DeepFM paper's
/// rule, suited to Adam) or × N (Goyal et al. 2017's linear rule, suited to SGD).
/// </summary>
public enum LearningRateScaling
{
    None,
    Sqrt,
    Linear,
}

public static class LearningRateScalingExtensions
{
    public static double Factor(this LearningRateScaling scaling, int ranks) => scaling switch
    {
        LearningRateScaling.Sqrt => Math.Sqrt(ranks),
        LearningRateScaling.Linear => ranks,
        _ => 1,
    };
}
