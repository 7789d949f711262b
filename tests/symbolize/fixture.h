#pragma once
// The symbolizer's test fixture (fixture.cpp): functions whose file, line and inlining are known.
namespace symfix {

int leaf(int x);
// Return addresses of a call to here(): made directly, and from a helper inlined into the caller.
void* calls_here();
void* calls_inlined_helper();
// The return address of a call made by std::transform inlined into calls_through_std_transform.
void* calls_through_std_transform();

}  // namespace symfix

// From libkprof_symbolize_stripped.so (stripped.cpp): the address of a function that has no symbol.
extern "C" void* stripped_hidden_address();
