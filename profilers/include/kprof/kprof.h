#pragma once
// Umbrella header: everything a user needs to register kernels and run kprof's command line.
#include "kprof/errors.h"
#include "kprof/isa.h"
#include "kprof/job.h"
#include "kprof/kernel.h"
#include "kprof/main.h"
#include "kprof/registry.h"
#include "kprof/runner.h"
#include "kprof/size.h"
