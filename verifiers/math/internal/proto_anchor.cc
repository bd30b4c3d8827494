// Anchors the math messages in binaries that link arbiter::math_proto_anchor whole (the CLI and
// arbiterd, through arbiter_verifier(PROTO_LIBRARY ...)): the reference below pulls
// math.pb.cc's object out of the static proto library, and with it the static initialiser that
// registers MathTask and MathDetail with the generated pool, so JSON can print the Any slots.
//
// Why not declare arbiter::math_proto itself: arbiterd also links it plainly through
// arbiter::math, and CMake refuses one library linked both plainly and WHOLE_ARCHIVE; linking
// arbiter::math whole-archive instead puts the archive twice on the command line.
#include "verifiers/math/math.pb.h"

namespace arbiter::math::internal {

extern const void* const kMathProtoAnchor[];
const void* const kMathProtoAnchor[] = {&arbiter::math::v1::_MathTask_default_instance_,
                                        &arbiter::math::v1::_MathDetail_default_instance_};

}  // namespace arbiter::math::internal
