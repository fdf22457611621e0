// Runs kernels of src/main/cuda on the CPU (cuda_host_emulation.h) at the request of a Java test, so that the
// Java launchers' real launches (names, grids, argument lists) run the real kernel source on a host heap and
// the results can be compared with the float64 reference backend. See EmulatedLauncher.java.
//
// Protocol on stdin / stdout, little-endian, one launch per request:
//   request:  i32 name length (0 ends the server), name bytes, u32 grid x, y, z, u32 block,
//             i32 argument count, per argument: u8 tag ('p' pointer, 'i' int, 'l' long long, 'f' float,
//             'd' double) and 8 payload bytes (a pointer is a byte offset into the heap),
//             i64 heap bytes, the heap.
//   response: i32 message length (0: the launch ran), the message, then (after a launch) the heap.
#include "cuda_host_emulation.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "adamw.cu"
#include "memory.cu"
#include "positions.cu"
#include "embedding.cu"
#include "activation.cu"

namespace {

struct Arg {
    char tag;
    uint64_t bits;
};

template <class T>
T convert(const Arg& a, char* heap, size_t heapBytes, size_t index) {
    auto wrong = [&](const char* want) {
        throw std::runtime_error("argument " + std::to_string(index) + ": the kernel takes " + want + ", the launcher passed tag '" +
                                 std::string(1, a.tag) + "'");
    };
    T out;
    if constexpr (std::is_pointer_v<T>) {
        if (a.tag != 'p') wrong("a pointer");
        if (a.bits == 0 || a.bits >= heapBytes)
            throw std::runtime_error("argument " + std::to_string(index) + ": address " + std::to_string(a.bits) +
                                     " outside the heap of " + std::to_string(heapBytes) + " bytes");
        out = reinterpret_cast<T>(heap + a.bits);
    } else if constexpr (std::is_same_v<T, int>) {
        if (a.tag != 'i') wrong("an int");
        int32_t v;
        std::memcpy(&v, &a.bits, 4);
        out = v;
    } else if constexpr (std::is_same_v<T, long long>) {
        if (a.tag != 'l') wrong("a long long");
        std::memcpy(&out, &a.bits, 8);
    } else if constexpr (std::is_same_v<T, float>) {
        if (a.tag != 'f') wrong("a float");
        std::memcpy(&out, &a.bits, 4);
    } else {
        static_assert(std::is_same_v<T, double>, "kernel parameter of a type the protocol does not carry");
        if (a.tag != 'd') wrong("a double");
        std::memcpy(&out, &a.bits, 8);
    }
    return out;
}

using Runner = std::function<void(dim3, unsigned, const std::vector<Arg>&, char*, size_t)>;

// Wraps a kernel so that it can be called by name: the argument list is checked against the kernel's C
// signature (count and type) before the launch, as the driver would read it.
template <class... A>
Runner runner(void (*kernel)(A...)) {
    return [kernel](dim3 grid, unsigned block, const std::vector<Arg>& args, char* heap, size_t heapBytes) {
        if (args.size() != sizeof...(A))
            throw std::runtime_error("the kernel takes " + std::to_string(sizeof...(A)) + " arguments, the launcher passed " +
                                     std::to_string(args.size()));
        auto values = [&]<size_t... I>(std::index_sequence<I...>) {
            return std::make_tuple(convert<A>(args[I], heap, heapBytes, I)...);
        }(std::index_sequence_for<A...>{});
        emu::launch(grid, block, [&] { std::apply(kernel, values); });
    };
}

const std::map<std::string, Runner>& kernels() {
    static const std::map<std::string, Runner> table = {
        {"adamw_update", runner(adamw_update)},
        {"adamw_advance_step", runner(adamw_advance_step)},
        {"fill_f32", runner(fill_f32)},
        {"copy_f32", runner(copy_f32)},
        {"add_f32", runner(add_f32)},
        {"last_position_forward", runner(last_position_forward)},
        {"last_position_backward", runner(last_position_backward)},
        {"sum_positions_forward", runner(sum_positions_forward)},
        {"sum_positions_backward", runner(sum_positions_backward)},
        {"positional_forward", runner(positional_forward)},
        {"positional_backward", runner(positional_backward)},
        {"activation_forward", runner(activation_forward)},
        {"activation_backward", runner(activation_backward)},
    };
    return table;
}

void read(void* p, size_t n) {
    if (std::fread(p, 1, n, stdin) != n) throw std::runtime_error("request cut short");
}

template <class T>
T read() {
    T v;
    read(&v, sizeof v);
    return v;
}

void write(const void* p, size_t n) {
    if (std::fwrite(p, 1, n, stdout) != n) std::exit(3);
}

void answer(const std::string& message) {
    int32_t n = (int32_t) message.size();
    write(&n, 4);
    write(message.data(), message.size());
}

}  // namespace

int main() {
    std::vector<double> heap;  // doubles: every address the Java heap hands out is 8-byte aligned here
    for (;;) {
        int32_t nameLength;
        if (std::fread(&nameLength, 4, 1, stdin) != 1 || nameLength == 0) return 0;
        std::string name(nameLength, '\0');
        read(name.data(), name.size());
        dim3 grid{read<uint32_t>(), read<uint32_t>(), read<uint32_t>()};
        unsigned block = read<uint32_t>();
        std::vector<Arg> args(read<int32_t>());
        for (auto& a : args) {
            a.tag = read<char>();
            a.bits = read<uint64_t>();
        }
        size_t bytes = (size_t) read<int64_t>();
        heap.assign((bytes + 7) / 8, 0.0);
        char* base = reinterpret_cast<char*>(heap.data());
        read(base, bytes);
        auto it = kernels().find(name);
        try {
            if (it == kernels().end()) throw std::runtime_error("no such kernel in the emulated sources");
            it->second(grid, block, args, base, bytes);
        } catch (const std::exception& e) {
            answer(name + ": " + e.what());
            std::fflush(stdout);
            continue;
        }
        answer("");
        write(base, bytes);
        std::fflush(stdout);
    }
}
