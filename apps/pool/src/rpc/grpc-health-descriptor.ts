import { create, createFileRegistry, type Message } from "@bufbuild/protobuf";
import { enumDesc, messageDesc, serviceDesc, type GenEnum, type GenMessage, type GenService } from "@bufbuild/protobuf/codegenv2";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";

// grpc.health.v1 (grpc/grpc, src/proto/grpc/health/v1/health.proto) is not in
// our proto tree and no npm package ships it for protobuf-es v2, so its three
// types and two RPCs are declared here, field for field, as a descriptor.

export enum HealthCheckResponse_ServingStatus {
  UNKNOWN = 0,
  SERVING = 1,
  NOT_SERVING = 2,
  /** Used only by the Watch method. */
  SERVICE_UNKNOWN = 3,
}

export type HealthCheckRequest = Message<"grpc.health.v1.HealthCheckRequest"> & { service: string };
export type HealthCheckResponse = Message<"grpc.health.v1.HealthCheckResponse"> & {
  status: HealthCheckResponse_ServingStatus;
};

const file = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: "grpc/health/v1/health.proto",
    package: "grpc.health.v1",
    syntax: "proto3",
    messageType: [
      {
        name: "HealthCheckRequest",
        field: [{ name: "service", number: 1, label: Label.OPTIONAL, type: Type.STRING, jsonName: "service" }],
      },
      {
        name: "HealthCheckResponse",
        field: [
          {
            name: "status",
            number: 1,
            label: Label.OPTIONAL,
            type: Type.ENUM,
            typeName: ".grpc.health.v1.HealthCheckResponse.ServingStatus",
            jsonName: "status",
          },
        ],
        enumType: [
          {
            name: "ServingStatus",
            value: [
              { name: "UNKNOWN", number: 0 },
              { name: "SERVING", number: 1 },
              { name: "NOT_SERVING", number: 2 },
              { name: "SERVICE_UNKNOWN", number: 3 },
            ],
          },
        ],
      },
    ],
    service: [
      {
        name: "Health",
        method: [
          {
            name: "Check",
            inputType: ".grpc.health.v1.HealthCheckRequest",
            outputType: ".grpc.health.v1.HealthCheckResponse",
          },
          {
            name: "Watch",
            inputType: ".grpc.health.v1.HealthCheckRequest",
            outputType: ".grpc.health.v1.HealthCheckResponse",
            serverStreaming: true,
          },
        ],
      },
    ],
  }),
  () => undefined,
).getFile("grpc/health/v1/health.proto")!;

export const HealthCheckRequestSchema: GenMessage<HealthCheckRequest> = messageDesc(file, 0);
export const HealthCheckResponseSchema: GenMessage<HealthCheckResponse> = messageDesc(file, 1);
export const HealthCheckResponse_ServingStatusSchema: GenEnum<HealthCheckResponse_ServingStatus> = enumDesc(file, 1, 0);

export const Health: GenService<{
  check: { methodKind: "unary"; input: typeof HealthCheckRequestSchema; output: typeof HealthCheckResponseSchema };
  watch: {
    methodKind: "server_streaming";
    input: typeof HealthCheckRequestSchema;
    output: typeof HealthCheckResponseSchema;
  };
}> = serviceDesc(file, 0);
