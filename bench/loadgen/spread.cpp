#include "spread.h"

#include <algorithm>
#include <cstdio>

namespace bulwark::loadgen {

std::string spread(std::vector<double> values, int decimals) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  char low[32], high[32], mid[32];
  std::snprintf(low, sizeof low, "%.*f", decimals, values.front());
  std::snprintf(high, sizeof high, "%.*f", decimals, values.back());
  std::snprintf(mid, sizeof mid, "%.*f", decimals, median);
  return std::string(low) + "-" + high + " (median " + mid + ")";
}

}  // namespace bulwark::loadgen
