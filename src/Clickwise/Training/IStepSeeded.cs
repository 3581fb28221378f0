namespace Clickwise.Training;

/// <summary>
/// A model whose training randomness (dropout masks) is a pure function of its seed and the global step the
/// trainer announces, so resuming from a checkpoint at step s reproduces the masks without saving RNG state.
/// </summary>
/// <remarks>Belongs on <see cref="Models.CtrModel"/> (a virtual no-op) once the models area adopts it.</remarks>
public interface IStepSeeded
{
    void BeginStep(long globalStep);
}
