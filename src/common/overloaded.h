// Overloaded: one visitor for std::visit from several lambdas, one per alternative.
#pragma once

namespace bulwark {

template <class... Fns>
struct Overloaded : Fns... {
  using Fns::operator()...;
};
template <class... Fns>
Overloaded(Fns...) -> Overloaded<Fns...>;

}  // namespace bulwark
