// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The gem-sync authors
 */

/**
 * TEST: imagination cpu cached
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: CPU cache maintenance
 * Functionality: CPU-cached buffer objects, SYNC_BO and the coherency query
 * Description: Checks the rules of DRM_PVR_BO_CPU_CACHED, DRM_IOCTL_PVR_SYNC_BO
 *		and DRM_PVR_DEV_QUERY_COHERENCY_INFO_GET (PowerVR driver 1.1).
 *
 * SUBTEST: coherency-query
 * Description: The query succeeds and sets no undefined flag.
 *
 * SUBTEST: cached-needs-cpu-access
 * Description: CPU_CACHED without ALLOW_CPU_USERSPACE_ACCESS, or with
 *		PM_FW_PROTECT, is -EINVAL; with CPU access it is created.
 *
 * SUBTEST: cached-export
 * Description: Export of a CPU-cached BO is -EINVAL on a device that is not
 *		IO-coherent and allowed on an IO-coherent one; other BOs export.
 *
 * SUBTEST: sync-bo-ranges
 * Description: Valid flushes and invalidations of ranges, empty ranges and
 *		an empty batch succeed.
 *
 * SUBTEST: sync-bo-bad-op-does-nothing
 * Description: A bad op anywhere in a batch fails the call with its errno;
 *		the batch is checked before any op is done.
 *
 * SUBTEST: sync-bo-batch-limits
 * Description: More than DRM_PVR_SYNC_BO_MAX_OPS ops, a short stride, or
 *		non-zero bytes past a long stride are refused.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "igt.h"
#include "drm-uapi/pvr_drm.h"

IGT_TEST_DESCRIPTION("PowerVR CPU-cached buffer objects and SYNC_BO.");

static bool is_io_coherent;

static int pvr_query_coherency(int fd, struct drm_pvr_dev_query_coherency_info *info)
{
	struct drm_pvr_ioctl_dev_query_args args = {
		.type = DRM_PVR_DEV_QUERY_COHERENCY_INFO_GET,
		.size = sizeof(*info),
		.pointer = to_user_pointer(info),
	};

	return igt_ioctl(fd, DRM_IOCTL_PVR_DEV_QUERY, &args) ? -errno : 0;
}

static int __pvr_create_bo(int fd, uint64_t size, uint64_t flags, uint32_t *handle)
{
	struct drm_pvr_ioctl_create_bo_args args = { .size = size, .flags = flags };

	if (igt_ioctl(fd, DRM_IOCTL_PVR_CREATE_BO, &args))
		return -errno;
	*handle = args.handle;
	return 0;
}

static uint32_t pvr_create_bo(int fd, uint64_t size, uint64_t flags)
{
	uint32_t handle;

	igt_assert_eq(__pvr_create_bo(fd, size, flags, &handle), 0);
	return handle;
}

static int __pvr_sync_bo(int fd, const void *ops, uint32_t stride, uint32_t count)
{
	struct drm_pvr_ioctl_sync_bo_args args = {
		.ops = { .stride = stride, .count = count, .array = to_user_pointer(ops) },
	};

	return igt_ioctl(fd, DRM_IOCTL_PVR_SYNC_BO, &args) ? -errno : 0;
}

static int pvr_sync_ops(int fd, const struct drm_pvr_bo_sync_op *ops, uint32_t count)
{
	return __pvr_sync_bo(fd, ops, sizeof(*ops), count);
}

/* PRIME export: the dma-buf's fd, or -errno. */
static int export_bo(int fd, uint32_t handle)
{
	struct drm_prime_handle args = { .handle = handle, .flags = DRM_CLOEXEC, .fd = -1 };

	return igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args) ? -errno : args.fd;
}

#define CACHED (DRM_PVR_BO_ALLOW_CPU_USERSPACE_ACCESS | DRM_PVR_BO_CPU_CACHED)

igt_main
{
	int fd = -1;

	igt_fixture {
		struct drm_pvr_dev_query_coherency_info info = {};
		drmVersionPtr v;

		fd = drm_open_driver(DRIVER_ANY);
		v = drmGetVersion(fd);
		igt_require(v);
		igt_require_f(!strcmp(v->name, "powervr"), "not a PowerVR device\n");
		igt_require_f(v->version_major == 1 && v->version_minor >= 1,
			      "PowerVR driver %d.%d, the rules are those of 1.1\n",
			      v->version_major, v->version_minor);
		drmFreeVersion(v);
		igt_assert_eq(pvr_query_coherency(fd, &info), 0);
		is_io_coherent = info.flags & DRM_PVR_COHERENCY_IO_COHERENT;
	}

	igt_describe("The coherency query succeeds and sets no undefined flag.");
	igt_subtest("coherency-query") {
		struct drm_pvr_dev_query_coherency_info info = { .flags = ~0ull };

		igt_assert_eq(pvr_query_coherency(fd, &info), 0);
		igt_assert_eq_u64(info.flags & ~DRM_PVR_COHERENCY_IO_COHERENT, 0);
	}

	igt_describe("CPU_CACHED requires CPU access and excludes PM_FW_PROTECT.");
	igt_subtest("cached-needs-cpu-access") {
		uint32_t handle = 0;

		igt_assert_eq(__pvr_create_bo(fd, 4096, DRM_PVR_BO_CPU_CACHED, &handle), -EINVAL);
		igt_assert_eq(__pvr_create_bo(fd, 4096, DRM_PVR_BO_CPU_CACHED |
					      DRM_PVR_BO_PM_FW_PROTECT, &handle), -EINVAL);
		igt_assert_eq(__pvr_create_bo(fd, 4096, ~DRM_PVR_BO_FLAGS_MASK | CACHED, &handle),
			      -EINVAL);
		handle = pvr_create_bo(fd, 4096, CACHED);
		gem_close(fd, handle);
	}

	igt_describe("A CPU-cached BO is exported only on an IO-coherent device.");
	igt_subtest("cached-export") {
		uint32_t cached = pvr_create_bo(fd, 4096, CACHED);
		uint32_t wc = pvr_create_bo(fd, 4096, DRM_PVR_BO_ALLOW_CPU_USERSPACE_ACCESS);
		int dmabuf;

		if (is_io_coherent) {
			dmabuf = prime_handle_to_fd(fd, cached);
			close(dmabuf);
		} else {
			igt_assert_eq(export_bo(fd, cached), -EINVAL);
		}
		dmabuf = prime_handle_to_fd(fd, wc);
		close(dmabuf);
		gem_close(fd, cached);
		gem_close(fd, wc);
	}

	igt_describe("Valid ranges of cached and write-combined BOs succeed.");
	igt_subtest("sync-bo-ranges") {
		uint32_t cached = pvr_create_bo(fd, 3 * 4096, CACHED);
		uint32_t wc = pvr_create_bo(fd, 4096, DRM_PVR_BO_ALLOW_CPU_USERSPACE_ACCESS);
		struct drm_pvr_bo_sync_op ops[] = {
			{ cached, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, 0, 3 * 4096 },
			{ cached, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, 1, 63 },
			{ cached, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, 3 * 4096 - 1, 1 },
			{ cached, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, 3 * 4096, 0 },
			{ wc, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, 0, 4096 },
		};

		igt_assert_eq(pvr_sync_ops(fd, ops, ARRAY_SIZE(ops)), 0);
		igt_assert_eq(pvr_sync_ops(fd, NULL, 0), 0);
		gem_close(fd, cached);
		gem_close(fd, wc);
	}

	igt_describe("A bad op anywhere in a batch fails it with that op's errno.");
	igt_subtest("sync-bo-bad-op-does-nothing") {
		uint32_t bo = pvr_create_bo(fd, 4096, CACHED);
		const struct {
			struct drm_pvr_bo_sync_op op;
			int err;
		} bad[] = {
			{ { bo + 1000, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, 0, 64 }, -ENOENT },
			{ { bo, 2, 0, 64 }, -EINVAL },
			{ { bo, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, 4096, 1 }, -EINVAL },
			{ { bo, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, 1, 4096 }, -EINVAL },
			{ { bo, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, ~0ull, 2 }, -EINVAL },
		};

		for (int i = 0; i < ARRAY_SIZE(bad); i++) {
			for (int pos = 0; pos < 3; pos++) {
				struct drm_pvr_bo_sync_op ops[3];

				for (int j = 0; j < 3; j++)
					ops[j] = (struct drm_pvr_bo_sync_op)
						{ bo, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, 0, 64 };
				ops[pos] = bad[i].op;
				igt_assert_eq(pvr_sync_ops(fd, ops, 3), bad[i].err);
			}
		}
		gem_close(fd, bo);
	}

	igt_describe("Batch size and stride limits of SYNC_BO.");
	igt_subtest("sync-bo-batch-limits") {
		uint32_t bo = pvr_create_bo(fd, 4096, CACHED);
		struct drm_pvr_bo_sync_op op = { bo, DRM_PVR_BO_SYNC_CPU_CACHE_FLUSH, 0, 64 };
		struct {
			struct drm_pvr_bo_sync_op op;
			uint64_t tail;
		} longer = { op, 0 };

		igt_assert_eq(__pvr_sync_bo(fd, &op, sizeof(op),
					    DRM_PVR_SYNC_BO_MAX_OPS + 1), -EINVAL);
		igt_assert_eq(__pvr_sync_bo(fd, &op, sizeof(op) - 8, 1), -EINVAL);
		igt_assert_eq(__pvr_sync_bo(fd, &longer, sizeof(longer), 1), 0);
		longer.tail = 1;
		igt_assert_eq(__pvr_sync_bo(fd, &longer, sizeof(longer), 1), -E2BIG);
		igt_assert_eq(__pvr_sync_bo(fd, (void *)8, sizeof(op), 1), -EFAULT);
		gem_close(fd, bo);
	}

	igt_fixture
		drm_close_driver(fd);
}
