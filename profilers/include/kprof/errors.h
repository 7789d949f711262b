#pragma once
// Errors that end a kprof command. Every one names the problem; the command line maps a
// UsageError (bad input: unknown kernel, bad size, unreadable or corrupt file, unwritable path)
// to exit code 2, which CI scripts rely on to tell "bad input" from "regression" (exit 1).
#include <stdexcept>
#include <string>

namespace kprof {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kprof
