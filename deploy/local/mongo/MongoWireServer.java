import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import java.util.List;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * Starts mongo-java-server on a loopback port with a file-backed H2 store.
 * Run as a single-file source program: java -cp 'lib/*' MongoWireServer.java PORT FILE
 */
public final class MongoWireServer {
  /**
   * The server's own newest version constant announces wire version 8, below the minimum of current
   * Node drivers (9, MongoDB 4.4). The commands we use (OP_MSG CRUD, bulk writes, indexes) behave the
   * same, so announce 4.4.
   */
  private static final class AnnouncedVersion implements MongoVersion {
    @Override
    public List<Integer> getVersionArray() {
      return List.of(4, 4, 0);
    }

    @Override
    public int getWireVersion() {
      return 9;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: MongoWireServer <port> <h2-file>");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    H2Backend backend = new H2Backend(args[1]);
    backend.version(new AnnouncedVersion());
    MongoServer server = new MongoServer(backend);
    server.bind("127.0.0.1", port);
    System.out.println("mongo-wire server listening on 127.0.0.1:" + port + " store=" + args[1]);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
    Thread.currentThread().join();
  }
}
