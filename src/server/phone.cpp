#include "server/phone.h"
