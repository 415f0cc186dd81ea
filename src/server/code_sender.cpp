#include "server/code_sender.h"
