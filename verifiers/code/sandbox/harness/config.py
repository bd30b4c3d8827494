# Session settings: defaults for the isolated sandbox, overridden once by main() from the init
# frame before anything forks (kNone runs on the host, in a temporary work directory).
WORK = "/work"
SHM = "/dev/shm"
ISOLATED = True
FORKER_LIBRARY = "/arbiter/forker.so"  # forker.c, bound read-only by the server
# How the candidate runs: "python" (in the harness's warm interpreter) or an argv to exec
# (compiled languages: the server binds the build artifact at /arbiter/prog).
RUN = "python"
# Function-call tests of exec'd languages: the argv to which the function's name is appended (the
# arguments go to stdin; the wrapper writes the result record). Empty: no such tests.
CALL = []
# Text in a failed test's stderr that means its runtime ran out of memory (java, node, go, rust).
MEMORY_MARKERS = []
LIMITS = None  # the test limits of the init frame
RESULT_CAP = 16 << 20  # bytes of a test's result record (returned JSON, error)


def work_dir():
    return WORK + "/t"  # each test's fresh, empty cwd
