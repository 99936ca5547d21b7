// ValidateOps: the structural checks behind ValidateHistory, reporting the
// source line of the offending op when the reader knows it. Internal to the
// history readers; everyone else calls ValidateHistory (model/history_io.h).
#ifndef TXLAB_MODEL_HISTORY_VALIDATE_H_
#define TXLAB_MODEL_HISTORY_VALIDATE_H_

#include <vector>

#include "model/history.h"
#include "model/history_io.h"

namespace txlab {

// lines[i] is the 1-based source line of h[i]; when lines is null, the
// reported line is the op's 1-based position in h.
ParseError ValidateOps(const History& h, const std::vector<int>* lines);

}  // namespace txlab

#endif  // TXLAB_MODEL_HISTORY_VALIDATE_H_
