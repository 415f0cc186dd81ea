#include "crypto/tls_certificate.h"

// Implementation arrives with issue 4 (being written).
