# arbiter sandbox harness, entry point: `python3 -s -B -c <this> NAME SOURCE NAME SOURCE ...`.
# The harness modules travel in argv (embedded in the server at build time, so no file of ours
# has to exist inside the sandbox); each becomes `harness.NAME`, in the order given (a module
# imports only those before it), then harness.main runs. See README.md for the protocol.
import sys
import types

_package = types.ModuleType("harness")
_package.__path__ = []
sys.modules["harness"] = _package
_args = sys.argv[1:]
del sys.argv[1:]
for _i in range(0, len(_args) - 1, 2):
    _name, _source = _args[_i], _args[_i + 1]
    _module = types.ModuleType("harness." + _name)
    _module.__file__ = "<harness/%s.py>" % _name
    sys.modules[_module.__name__] = _module
    setattr(_package, _name, _module)
    exec(compile(_source, _module.__file__, "exec"), _module.__dict__)
del _args, _i, _name, _source, _module, _package
sys.modules["harness.main"].main()
