export { ServiceRuntime, RuntimeModule, startHttpService, startJobContext, exitOnBootFailure } from './service-runtime';
export {
  REPLAY_STAGES,
  REPLAY_REQUESTED,
  REBUILD_REQUESTED,
  TASK_CANCEL,
  TaskControlTopics,
  isReplayStage,
} from './task-control';
export type { ReplayStage, TaskState } from './task-control';
export { TaskWorker } from './task-worker';
export type { StageTasks, TaskWorkerOptions } from './task-worker';
export { planReplay, replayProgress, replayStartOf, withinPlan } from './replay-plan';
export type { ReplayStart } from './replay-plan';
export { rawEndOffsets, waitUntilStored } from './pipeline-barrier';
