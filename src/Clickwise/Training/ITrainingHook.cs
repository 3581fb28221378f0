using Clickwise.Training.Optimizers;

namespace Clickwise.Training;

/// <summary>
/// Changes the model between optimizer steps — DeepLight pruning is one. Unlike an observer it may write
/// parameters and optimizer state; it runs on the training thread right after every optimizer step.
/// </summary>
public interface ITrainingHook
{
    void AfterStep(in StepInfo step, IOptimizer optimizer);
}
