#include "crypto/pwhash.h"

// Implementation arrives with issue 4 (being written).
