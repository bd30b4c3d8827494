# arbiter's Java compile step (runs as `python3 -c <this> JAVAC ARBITER_MAIN_SOURCE JAVAC_FLAG...`
# in the compile sandbox, cwd = the build directory holding the candidate as source.java).
# javac insists that a public class X lives in X.java, so the file is named after the
# candidate's public top-level type (Main.java when there is none); ArbiterMain.java (the entry
# point and call wrapper) is compiled beside it; the classes are stored in one zip, `prog`, the
# artifact the tests run with `java -cp prog ArbiterMain`. javac's diagnostics go to stderr.
import os
import re
import subprocess
import sys
import zipfile

javac, wrapper, flags = sys.argv[1], sys.argv[2], sys.argv[3:]
with open("source.java", encoding="utf-8", errors="replace") as f:
    source = f.read()
# Comments and string literals cannot declare a class.
code = re.sub(r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/|//[^\n]*', " ", source, flags=re.S)
public = re.search(r"\bpublic\s+(?:(?:final|abstract|strictfp|sealed|non-sealed)\s+)*"
                   r"(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)", code)
name = public.group(1) if public else "Main"
if name == "ArbiterMain":
    sys.stderr.write("the class name ArbiterMain is reserved by the judge\n")
    sys.exit(1)
os.mkdir("src")
os.mkdir("classes")
os.rename("source.java", os.path.join("src", name + ".java"))
with open(os.path.join("src", "ArbiterMain.java"), "w", encoding="utf-8") as f:
    f.write(wrapper)
code = subprocess.call([javac, *flags, "-encoding", "UTF-8", "-nowarn", "-d", "classes",
                        os.path.join("src", name + ".java"), os.path.join("src", "ArbiterMain.java")])
if code != 0:
    sys.exit(code)
with zipfile.ZipFile("prog", "w", zipfile.ZIP_STORED) as jar:
    for root, _, files in os.walk("classes"):
        for file in sorted(files):
            path = os.path.join(root, file)
            jar.write(path, os.path.relpath(path, "classes"))
