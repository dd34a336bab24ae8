// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The gem-sync authors
 */

/**
 * TEST: panthor bo cache
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: CPU cache maintenance
 * Functionality: WB_MMAP export rule and BO_SYNC (panthor 1.10)
 *
 * SUBTEST: wb-mmap-create
 * Description: WB_MMAP BOs are created with and without an exclusive VM.
 *
 * SUBTEST: wb-mmap-export
 * Description: Export of a WB_MMAP BO is -EINVAL on a GPU that is not
 *		IO-coherent and allowed on a coherent one; other BOs export.
 *
 * SUBTEST: bo-sync-ranges
 * Description: Valid ranges, a zero size and an empty batch succeed.
 *
 * SUBTEST: bo-sync-errors
 * Description: Every documented errno of BO_SYNC.
 */

#include <errno.h>
#include <fcntl.h>

#include "igt.h"
#include "drm-uapi/panthor_drm.h"

IGT_TEST_DESCRIPTION("panthor WB_MMAP export rule and BO_SYNC.");

static int __create_bo(int fd, uint64_t size, uint32_t flags, uint32_t vm, uint32_t *handle)
{
	struct drm_panthor_bo_create args = {
		.size = size, .flags = flags, .exclusive_vm_id = vm,
	};

	if (igt_ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &args))
		return -errno;
	*handle = args.handle;
	return 0;
}

static uint32_t create_bo(int fd, uint64_t size, uint32_t flags)
{
	uint32_t handle;

	igt_assert_eq(__create_bo(fd, size, flags, 0, &handle), 0);
	return handle;
}

static int __bo_sync(int fd, const void *ops, uint32_t stride, uint32_t count)
{
	struct drm_panthor_bo_sync args = {
		.ops = { .stride = stride, .count = count, .array = to_user_pointer(ops) },
	};

	return igt_ioctl(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &args) ? -errno : 0;
}

/* PRIME export: the dma-buf's fd, or -errno. */
static int export_bo(int fd, uint32_t handle)
{
	struct drm_prime_handle args = { .handle = handle, .flags = DRM_CLOEXEC, .fd = -1 };

	return igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args) ? -errno : args.fd;
}

static bool gpu_is_io_coherent(int fd)
{
	struct drm_panthor_gpu_info info = {};
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO,
		.size = sizeof(info),
		.pointer = to_user_pointer(&info),
	};

	do_ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	return info.selected_coherency != DRM_PANTHOR_GPU_COHERENCY_NONE;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		drmVersionPtr v;

		fd = drm_open_driver(DRIVER_PANTHOR);
		v = drmGetVersion(fd);
		igt_require_f(v->version_major == 1 && v->version_minor >= 10,
			      "panthor %d.%d, the rules are those of 1.10\n",
			      v->version_major, v->version_minor);
		drmFreeVersion(v);
	}

	igt_subtest("wb-mmap-create") {
		struct drm_panthor_vm_create vm = {};
		uint32_t handle;

		do_ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vm);
		igt_assert_eq(__create_bo(fd, 4096, DRM_PANTHOR_BO_WB_MMAP, 0, &handle), 0);
		gem_close(fd, handle);
		igt_assert_eq(__create_bo(fd, 4096, DRM_PANTHOR_BO_WB_MMAP, vm.id, &handle), 0);
		gem_close(fd, handle);
	}

	igt_subtest("wb-mmap-export") {
		uint32_t wb = create_bo(fd, 4096, DRM_PANTHOR_BO_WB_MMAP);
		uint32_t wc = create_bo(fd, 4096, 0);
		int dmabuf;

		if (gpu_is_io_coherent(fd)) {
			dmabuf = prime_handle_to_fd(fd, wb);
			close(dmabuf);
		} else {
			igt_assert_eq(export_bo(fd, wb), -EINVAL);
		}
		dmabuf = prime_handle_to_fd(fd, wc);
		close(dmabuf);
		gem_close(fd, wb);
		gem_close(fd, wc);
	}

	igt_subtest("bo-sync-ranges") {
		uint32_t bo = create_bo(fd, 2 * 4096, DRM_PANTHOR_BO_WB_MMAP);
		struct drm_panthor_bo_sync_op ops[] = {
			{ bo, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0, 2 * 4096 },
			{ bo, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, 4095, 2 },
			{ bo, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 2 * 4096, 0 },
		};

		igt_assert_eq(__bo_sync(fd, ops, sizeof(ops[0]), ARRAY_SIZE(ops)), 0);
		igt_assert_eq(__bo_sync(fd, NULL, sizeof(ops[0]), 0), 0);
		gem_close(fd, bo);
	}

	igt_subtest("bo-sync-errors") {
		uint32_t bo = create_bo(fd, 4096, DRM_PANTHOR_BO_WB_MMAP);
		struct drm_panthor_bo_sync_op op = { bo, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0, 64 };
		struct drm_panthor_bo_sync_op bad[] = {
			{ bo, 2, 0, 64 },
			{ bo, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 4096, 1 },
			{ bo, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, ~0ull, 2 },
		};
		struct {
			struct drm_panthor_bo_sync_op op;
			uint64_t tail;
		} longer = { op, 1 };

		for (int i = 0; i < ARRAY_SIZE(bad); i++)
			igt_assert_eq(__bo_sync(fd, &bad[i], sizeof(op), 1), -EINVAL);
		op.handle = bo + 1000;
		igt_assert_eq(__bo_sync(fd, &op, sizeof(op), 1), -ENOENT);
		igt_assert_eq(__bo_sync(fd, &op, sizeof(op) - 8, 1), -EINVAL);
		igt_assert_eq(__bo_sync(fd, &longer, sizeof(longer), 1), -E2BIG);
		igt_assert_eq(__bo_sync(fd, (void *)8, sizeof(op), 1), -EFAULT);
		gem_close(fd, bo);
	}

	igt_fixture
		drm_close_driver(fd);
}
