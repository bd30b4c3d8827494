// arbiter's Java entry point, compiled with every Java candidate (verifiers/code/sandbox/languages).
//   java ... ArbiterMain              stdin/stdout test: runs the candidate's main class as
//                                     `java Main` would (see mainClass for which class).
//   java ... ArbiterMain call NAME    function-call test: reads a JSON array of arguments from
//                                     stdin, calls NAME on a new Solution() (LeetCode style) or a
//                                     static NAME of any class, and writes {"return": JSON} (or
//                                     {"error": ...}) to fd 3, the harness's result record.
// The candidate shares this JVM, so it could write fd 3 itself: it never learns the expected
// value, so forging gains nothing. Only java.base is used.
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

public final class ArbiterMain {
  public static void main(String[] args) throws Throwable {
    if (args.length == 2 && args[0].equals("call")) {
      call(args[1]);
      return;
    }
    Method main = mainMethod();
    try {
      main.invoke(null, (Object) new String[0]);
    } catch (InvocationTargetException e) {
      throw e.getCause();  // reported by the JVM as the candidate's own uncaught exception
    }
  }

  // ---- stdin/stdout tests -----------------------------------------------------------------

  // The class `java Main` would have been given: the class named Main if it has a static
  // main(String[]), else the only public top-level class with one, else the only class with one.
  static Method mainMethod() throws IOException {
    List<Method> all = new ArrayList<>();
    List<Method> publicOnes = new ArrayList<>();
    for (Class<?> c : candidateClasses()) {
      Method m;
      try {
        m = c.getDeclaredMethod("main", String[].class);
      } catch (NoSuchMethodException e) {
        continue;
      }
      if (!Modifier.isStatic(m.getModifiers())) continue;
      m.setAccessible(true);
      if (c.getSimpleName().equals("Main")) return m;
      all.add(m);
      if (Modifier.isPublic(c.getModifiers())) publicOnes.add(m);
    }
    if (publicOnes.size() == 1) return publicOnes.get(0);
    if (all.size() == 1) return all.get(0);
    fail(all.isEmpty() ? "no class has a static main(String[]) method"
                       : "several classes have a main method and none is named Main");
    return null;
  }

  // Top-level classes of the candidate (our own jar, less this class), loaded without running
  // their static initialisers.
  static List<Class<?>> candidateClasses() throws IOException {
    String jar = ArbiterMain.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    List<Class<?>> out = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar)) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (!name.endsWith(".class") || name.contains("$") || name.equals("ArbiterMain.class")) {
          continue;
        }
        name = name.substring(0, name.length() - 6).replace('/', '.');
        try {
          out.add(Class.forName(name, false, ArbiterMain.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError ignored) {
          // not loadable: cannot be the entry point
        }
      }
    }
    out.sort((a, b) -> a.getName().compareTo(b.getName()));
    return out;
  }

  static void fail(String message) {
    System.err.println("arbiter: " + message);
    System.exit(1);
  }

  // ---- function-call tests ----------------------------------------------------------------

  static void call(String name) throws IOException {
    Object value;
    try {
      Object parsed = new Json(new String(readAll(System.in), StandardCharsets.UTF_8)).document();
      if (!(parsed instanceof List)) throw new IllegalArgumentException("arguments not a JSON array");
      List<?> args = (List<?>) parsed;
      Object[] target = findTarget(name, args.size());
      Method method = (Method) target[1];
      Type[] types = method.getGenericParameterTypes();
      Object[] converted = new Object[args.size()];
      for (int i = 0; i < converted.length; i++) converted[i] = convert(args.get(i), types[i]);
      value = method.invoke(target[0], converted);
    } catch (InvocationTargetException e) {
      e.getCause().printStackTrace();
      finish(1, "{\"error\":" + quote(describe(e.getCause())) + "}");
      return;
    } catch (Throwable e) {  // our conversion failed, or the class could not be made
      finish(1, "{\"error\":" + quote(describe(e)) + "}");
      return;
    }
    StringBuilder json = new StringBuilder();
    try {
      write(value, json);
    } catch (IllegalArgumentException e) {
      finish(1, "{\"error\":" + quote("unserialisable return value: " + e.getMessage()) + "}");
      return;
    }
    finish(0, "{\"return\":" + quote(json.toString()) + "}");
  }

  // {instance or null, method}: Solution's instance method NAME, else a static NAME anywhere.
  static Object[] findTarget(String name, int arity) throws Exception {
    List<Class<?>> classes = candidateClasses();
    for (boolean solutionOnly : new boolean[] {true, false}) {
      for (Class<?> c : classes) {
        if (solutionOnly != c.getSimpleName().equals("Solution")) continue;
        for (Method m : c.getDeclaredMethods()) {
          if (!m.getName().equals(name) || m.getParameterCount() != arity) continue;
          m.setAccessible(true);
          if (Modifier.isStatic(m.getModifiers())) return new Object[] {null, m};
          if (!solutionOnly) continue;
          var constructor = c.getDeclaredConstructor();
          constructor.setAccessible(true);
          return new Object[] {constructor.newInstance(), m};
        }
      }
    }
    throw new NoSuchMethodException(
        "no method " + name + " taking " + arity + " arguments in class Solution");
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    String text = e.getClass().getName() + (message == null ? "" : ": " + message);
    return text.length() > 1000 ? text.substring(0, 1000) : text;
  }

  static void finish(int code, String record) throws IOException {
    System.out.flush();
    System.err.flush();
    try (OutputStream out = new FileOutputStream("/proc/self/fd/3")) {
      out.write(record.getBytes(StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // the harness reads a missing record as "did not return"
    }
    Runtime.getRuntime().halt(code);  // as the Python harness's os._exit: no hooks, no waiting
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) out.write(buffer, 0, n);
    return out.toByteArray();
  }

  // JSON value (null, Boolean, BigDecimal, String, List, Map) -> an argument of `type`.
  static Object convert(Object v, Type type) {
    if (type instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) type;
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] params = p.getActualTypeArguments();
      if (Map.class.isAssignableFrom(raw)) {
        Map<Object, Object> out = new HashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          out.put(convert(e.getKey(), params[0]), convert(e.getValue(), params[1]));
        }
        return out;
      }
      if (Collection.class.isAssignableFrom(raw)) {
        Collection<Object> out = Set.class.isAssignableFrom(raw) ? new HashSet<>() : new ArrayList<>();
        for (Object item : (List<?>) v) out.add(convert(item, params[0]));
        return out;
      }
      return convert(v, raw);
    }
    if (type instanceof GenericArrayType) {
      List<?> list = (List<?>) v;
      Type component = ((GenericArrayType) type).getGenericComponentType();
      Class<?> raw = component instanceof ParameterizedType
          ? (Class<?>) ((ParameterizedType) component).getRawType() : Object.class;
      Object out = Array.newInstance(raw, list.size());
      for (int i = 0; i < list.size(); i++) Array.set(out, i, convert(list.get(i), component));
      return out;
    }
    Class<?> c = type instanceof Class ? (Class<?>) type : Object.class;
    if (v == null) {
      if (c.isPrimitive()) throw new IllegalArgumentException("null for a " + c.getName());
      return null;
    }
    if (c.isArray()) {
      List<?> list = (List<?>) v;
      Object out = Array.newInstance(c.getComponentType(), list.size());
      for (int i = 0; i < list.size(); i++) {
        Array.set(out, i, convert(list.get(i), c.getComponentType()));
      }
      return out;
    }
    if (c == int.class || c == Integer.class) return ((BigDecimal) v).intValueExact();
    if (c == long.class || c == Long.class) return ((BigDecimal) v).longValueExact();
    if (c == double.class || c == Double.class) return ((BigDecimal) v).doubleValue();
    if (c == float.class || c == Float.class) return ((BigDecimal) v).floatValue();
    if (c == short.class || c == Short.class) return ((BigDecimal) v).shortValueExact();
    if (c == byte.class || c == Byte.class) return ((BigDecimal) v).byteValueExact();
    if (c == boolean.class || c == Boolean.class) return (Boolean) v;
    if (c == BigInteger.class) return ((BigDecimal) v).toBigIntegerExact();
    if (c == char.class || c == Character.class) {
      String s = (String) v;
      if (s.length() != 1) throw new IllegalArgumentException("\"" + s + "\" is not one char");
      return s.charAt(0);
    }
    if (c == String.class) return (String) v;
    if (List.class.isAssignableFrom(c) || c == Collection.class) return convert(v, listOf(Object.class));
    if (c == Object.class) return plain(v);
    throw new IllegalArgumentException("unsupported parameter type " + c.getName());
  }

  static Type listOf(Type element) {
    return new ParameterizedType() {
      public Type[] getActualTypeArguments() { return new Type[] {element}; }
      public Type getRawType() { return List.class; }
      public Type getOwnerType() { return null; }
    };
  }

  // An untyped JSON value as plain Java: integers as Integer/Long, others as Double.
  static Object plain(Object v) {
    if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      try {
        long l = d.longValueExact();
        return l == (int) l ? (Object) (int) l : (Object) l;
      } catch (ArithmeticException e) {
        return d.doubleValue();
      }
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object item : (List<?>) v) out.add(plain(item));
      return out;
    }
    return v;
  }

  // A returned value as JSON text.
  static void write(Object v, StringBuilder out) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException(v + "");
      out.append(new BigDecimal(Double.toString(d)).toString());
    } else if (v instanceof Number) {
      out.append(v);
    } else if (v instanceof Character || v instanceof CharSequence) {
      out.append(quote(v.toString()));
    } else if (v.getClass().isArray()) {
      out.append('[');
      for (int i = 0, n = Array.getLength(v); i < n; i++) {
        if (i > 0) out.append(',');
        write(Array.get(v, i), out);
      }
      out.append(']');
    } else if (v instanceof Collection) {
      out.append('[');
      boolean first = true;
      for (Object item : (Collection<?>) v) {
        if (!first) out.append(',');
        first = false;
        write(item, out);
      }
      out.append(']');
    } else if (v instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) out.append(',');
        first = false;
        out.append(quote(String.valueOf(e.getKey()))).append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else {
      throw new IllegalArgumentException("a " + v.getClass().getName());
    }
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  // A strict JSON reader: null, Boolean, BigDecimal, String, List, LinkedHashMap.
  static final class Json {
    private final String s;
    private int i;

    Json(String s) { this.s = s; }

    Object document() {
      Object v = value();
      skip();
      if (i != s.length()) throw error("trailing characters");
      return v;
    }

    private Object value() {
      skip();
      if (i >= s.length()) throw error("unexpected end");
      char c = s.charAt(i);
      if (c == '[') {
        i++;
        List<Object> list = new ArrayList<>();
        skip();
        if (peek(']')) return list;
        do list.add(value()); while (next(','));
        expect(']');
        return list;
      }
      if (c == '{') {
        i++;
        Map<String, Object> map = new LinkedHashMap<>();
        skip();
        if (peek('}')) return map;
        do {
          skip();
          String key = string();
          skip();
          expect(':');
          map.put(key, value());
        } while (next(','));
        expect('}');
        return map;
      }
      if (c == '"') return string();
      if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
      if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      try {
        return new BigDecimal(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw error("bad value");
      }
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= s.length()) throw error("unterminated string");
        char c = s.charAt(i++);
        if (c == '"') return out.toString();
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (i >= s.length()) throw error("unterminated string");
        char e = s.charAt(i++);
        switch (e) {
          case 'n': out.append('\n'); break;
          case 't': out.append('\t'); break;
          case 'r': out.append('\r'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          case 'u':
            if (i + 4 > s.length()) throw error("bad escape");
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
            break;
          default: out.append(e);
        }
      }
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private boolean peek(char c) {
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    private boolean next(char c) {
      skip();
      return peek(c);
    }

    private void expect(char c) {
      skip();
      if (!peek(c)) throw error("expected '" + c + "'");
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("arguments JSON: " + what + " at offset " + i);
    }
  }
}
