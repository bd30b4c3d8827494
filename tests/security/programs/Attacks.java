// The isolation suite's attack program for Java: stdin names what to do (see attacks.c).
import java.io.*;
import java.net.*;
import java.util.*;

public class Attacks {
  static int count(String dir, boolean digits) {
    String[] names = new File(dir).list();
    if (names == null) return -1;
    int n = 0;
    for (String s : names) if (!digits || Character.isDigit(s.charAt(0))) n++;
    return n;
  }

  static String reach(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return "connected";
    } catch (IOException e) {
      return "blocked";
    }
  }

  public static void main(String[] args) throws Exception {
    Scanner in = new Scanner(System.in);
    String cmd = in.next();
    if (cmd.equals("probe")) {
      System.out.println(count("/proc", true) + " " + count(".", false) + " " + count("/dev/shm", false));
    } else if (cmd.equals("memory")) {
      List<long[]> keep = new ArrayList<>();
      while (true) keep.add(new long[1 << 17]);
    } else if (cmd.equals("flood")) {
      PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
      while (true) out.print("flood flood flood flood\n");
    } else if (cmd.equals("files")) {
      int refused = 0;
      for (String p : new String[] {"/x", "/usr/x", "/etc/x", "/arbiter/x", "/proc/x"}) {
        try (FileOutputStream f = new FileOutputStream(p)) {
        } catch (IOException e) {
          refused++;
        }
      }
      new FileOutputStream("left-behind").close();
      new FileOutputStream("/dev/shm/left-behind").close();
      System.out.println("refused " + refused);
    } else if (cmd.equals("net")) {
      System.out.println(reach("127.0.0.1", in.nextInt()) + " " + reach("1.1.1.1", 53));
    } else if (cmd.equals("fork")) {
      String self = ProcessHandle.current().info().command().orElse("/proc/self/exe");
      while (true) {
        try {
          Process p = new ProcessBuilder(self, "-cp", System.getProperty("java.class.path"),
              "ArbiterMain").start();
          p.getOutputStream().write("fork".getBytes());
          p.getOutputStream().close();
        } catch (IOException e) {
          // refused at the process limit: keep trying
        }
      }
    }
  }
}
