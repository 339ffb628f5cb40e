import {
  type API,
  type Callback,
  type ClusterMetadata,
  type Connection,
  Consumer,
  kGetApi,
  kGetConnection,
  kMetadata,
} from '@platformatic/kafka';

type HeartbeatApi = API<
  [groupId: string, generationId: number, memberId: string, groupInstanceId?: string | null],
  unknown
>;

/**
 * @platformatic/kafka's consumer rejoins its group the moment a heartbeat hears of a rebalance, while
 * batches it handed out may still be writing; with the eager protocol the partitions' next owner
 * could start on them at once. This one first awaits `beforeRejoin` (the batches in hand end and
 * commit), as the Java client runs its revocation callback before JoinGroup. The coordinator waits
 * up to the rebalance timeout for the rejoin, but drops a member that goes a session timeout without
 * a heartbeat, and a rejoin cancels the client's heartbeat timer: the hold sends its own.
 */
export class RejoinAwareConsumer extends Consumer<Buffer, Buffer, Buffer, Buffer> {
  beforeRejoin: (() => Promise<void>) | null = null;

  override [kGetApi]<RequestArguments extends unknown[], ResponseType>(
    name: string,
    callback: Callback<API<RequestArguments, ResponseType>>,
  ): void {
    const hold = this.beforeRejoin;
    // Also without a member id (a first join has nothing in hand; a member the broker forgot still may).
    if (name !== 'JoinGroup' || !hold) {
      super[kGetApi](name, callback);
      return;
    }
    hold().then(
      () => super[kGetApi](name, callback),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** One heartbeat to the coordinator now; during a rebalance its answer is a refusal, which still counts. */
  heartbeatNow(): Promise<void> {
    const memberId = this.memberId;
    if (!memberId) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => resolve();
      this.findGroupCoordinator((error, coordinatorId) => {
        if (error || coordinatorId === undefined) return done();
        this[kMetadata]({ topics: this.topics.current }, (metadataError, metadata?: ClusterMetadata) => {
          const broker = metadata?.brokers.get(coordinatorId);
          if (metadataError || !broker) return done();
          this[kGetConnection](broker, (connectionError, connection?: Connection) => {
            if (connectionError || !connection) return done();
            this[kGetApi]<unknown[], unknown>('Heartbeat', (apiError, api) => {
              if (apiError || !api) return done();
              const heartbeat = api as unknown as HeartbeatApi;
              heartbeat(connection, this.groupId, this.generationId, memberId, this.groupInstanceId, done);
            });
          });
        });
      });
    });
  }
}
