#include "server/rate_limiter.h"
