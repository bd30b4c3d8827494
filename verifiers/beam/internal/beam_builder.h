// Test and generator helper: terse construction of v1::Beam messages.
#pragma once

#include <string>

#include "verifiers/beam/beam.pb.h"

namespace arbiter::beam::internal {

class BeamBuilder {
 public:
  explicit BeamBuilder(std::string length) { beam_.set_length(std::move(length)); }
  BeamBuilder& Support(v1::BeamSupport::Type type, std::string position, std::string label = "") {
    v1::BeamSupport* s = beam_.add_supports();
    s->set_type(type);
    s->set_position(std::move(position));
    s->set_label(std::move(label));
    return *this;
  }
  BeamBuilder& Pin(std::string at) { return Support(v1::BeamSupport::PIN, std::move(at)); }
  BeamBuilder& Roller(std::string at) { return Support(v1::BeamSupport::ROLLER, std::move(at)); }
  BeamBuilder& Fixed(std::string at) { return Support(v1::BeamSupport::FIXED, std::move(at)); }
  BeamBuilder& Hinge(std::string at) {
    beam_.add_hinges(std::move(at));
    return *this;
  }
  BeamBuilder& Force(std::string magnitude, std::string at) {
    return Load(v1::BeamLoad::POINT_FORCE, std::move(magnitude), std::move(at));
  }
  BeamBuilder& Couple(std::string magnitude, std::string at) {
    return Load(v1::BeamLoad::MOMENT, std::move(magnitude), std::move(at));
  }
  // Linearly varying from `w1` at `from` to `w2` at `to` (w2 empty: uniform).
  BeamBuilder& Distributed(std::string w1, std::string from, std::string to, std::string w2 = "") {
    Load(v1::BeamLoad::DISTRIBUTED, std::move(w1), std::move(from));
    v1::BeamLoad* l = beam_.mutable_loads(beam_.loads_size() - 1);
    l->set_end_position(std::move(to));
    l->set_end_magnitude(std::move(w2));
    return *this;
  }
  const v1::Beam& beam() const { return beam_; }

 private:
  BeamBuilder& Load(v1::BeamLoad::Type type, std::string magnitude, std::string at) {
    v1::BeamLoad* l = beam_.add_loads();
    l->set_type(type);
    l->set_magnitude(std::move(magnitude));
    l->set_position(std::move(at));
    return *this;
  }
  v1::Beam beam_;
};

}  // namespace arbiter::beam::internal
