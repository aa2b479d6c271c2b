import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace perftools {

    namespace profiles {

        interface IProfile extends perftools.profiles.Profile.$Properties {
        }

        class Profile {
            constructor(properties?: perftools.profiles.Profile.$Properties);
            $unknowns?: Uint8Array[];
            sampleType: perftools.profiles.ValueType.$Properties[];
            sample: perftools.profiles.Sample.$Properties[];
            mapping: perftools.profiles.Mapping.$Properties[];
            location: perftools.profiles.Location.$Properties[];
            function: perftools.profiles.Function.$Properties[];
            stringTable: string[];
            dropFrames: number;
            keepFrames: number;
            timeNanos: number;
            durationNanos: number;
            periodType?: (perftools.profiles.ValueType.$Properties|null);
            period: number;
            comment: number[];
            defaultSampleType: number;
            docUrl: number;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): perftools.profiles.Profile & perftools.profiles.Profile.$Shape;
        }

        namespace Profile {
            interface $Properties {
                sampleType?: (perftools.profiles.ValueType.$Properties[]|null);
                sample?: (perftools.profiles.Sample.$Properties[]|null);
                mapping?: (perftools.profiles.Mapping.$Properties[]|null);
                location?: (perftools.profiles.Location.$Properties[]|null);
                "function"?: (perftools.profiles.Function.$Properties[]|null);
                stringTable?: (string[]|null);
                dropFrames?: (number|null);
                keepFrames?: (number|null);
                timeNanos?: (number|null);
                durationNanos?: (number|null);
                periodType?: (perftools.profiles.ValueType.$Properties|null);
                period?: (number|null);
                comment?: (number[]|null);
                defaultSampleType?: (number|null);
                docUrl?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = perftools.profiles.Profile.$Properties;
        }

        interface IValueType extends perftools.profiles.ValueType.$Properties {
        }

        class ValueType {
            constructor(properties?: perftools.profiles.ValueType.$Properties);
            $unknowns?: Uint8Array[];
            type: number;
            unit: number;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): perftools.profiles.ValueType & perftools.profiles.ValueType.$Shape;
        }

        namespace ValueType {
            interface $Properties {
                type?: (number|null);
                unit?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = perftools.profiles.ValueType.$Properties;
        }

        interface ISample extends perftools.profiles.Sample.$Properties {
        }

        class Sample {
            constructor(properties?: perftools.profiles.Sample.$Properties);
            $unknowns?: Uint8Array[];
            locationId: number[];
            value: number[];
            label: perftools.profiles.Label.$Properties[];
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): perftools.profiles.Sample & perftools.profiles.Sample.$Shape;
        }

        namespace Sample {
            interface $Properties {
                locationId?: (number[]|null);
                value?: (number[]|null);
                label?: (perftools.profiles.Label.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = perftools.profiles.Sample.$Properties;
        }

        interface ILabel extends perftools.profiles.Label.$Properties {
        }

        class Label {
            constructor(properties?: perftools.profiles.Label.$Properties);
            $unknowns?: Uint8Array[];
            key: number;
            str: number;
            num: number;
            numUnit: number;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): perftools.profiles.Label & perftools.profiles.Label.$Shape;
        }

        namespace Label {
            interface $Properties {
                key?: (number|null);
                str?: (number|null);
                num?: (number|null);
                numUnit?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = perftools.profiles.Label.$Properties;
        }

        interface IMapping extends perftools.profiles.Mapping.$Properties {
        }

        class Mapping {
            constructor(properties?: perftools.profiles.Mapping.$Properties);
            $unknowns?: Uint8Array[];
            id: number;
            memoryStart: number;
            memoryLimit: number;
            fileOffset: number;
            filename: number;
            buildId: number;
            hasFunctions: boolean;
            hasFilenames: boolean;
            hasLineNumbers: boolean;
            hasInlineFrames: boolean;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): perftools.profiles.Mapping & perftools.profiles.Mapping.$Shape;
        }

        namespace Mapping {
            interface $Properties {
                id?: (number|null);
                memoryStart?: (number|null);
                memoryLimit?: (number|null);
                fileOffset?: (number|null);
                filename?: (number|null);
                buildId?: (number|null);
                hasFunctions?: (boolean|null);
                hasFilenames?: (boolean|null);
                hasLineNumbers?: (boolean|null);
                hasInlineFrames?: (boolean|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = perftools.profiles.Mapping.$Properties;
        }

        interface ILocation extends perftools.profiles.Location.$Properties {
        }

        class Location {
            constructor(properties?: perftools.profiles.Location.$Properties);
            $unknowns?: Uint8Array[];
            id: number;
            mappingId: number;
            address: number;
            line: perftools.profiles.Line.$Properties[];
            isFolded: boolean;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): perftools.profiles.Location & perftools.profiles.Location.$Shape;
        }

        namespace Location {
            interface $Properties {
                id?: (number|null);
                mappingId?: (number|null);
                address?: (number|null);
                line?: (perftools.profiles.Line.$Properties[]|null);
                isFolded?: (boolean|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = perftools.profiles.Location.$Properties;
        }

        interface ILine extends perftools.profiles.Line.$Properties {
        }

        class Line {
            constructor(properties?: perftools.profiles.Line.$Properties);
            $unknowns?: Uint8Array[];
            functionId: number;
            line: number;
            column: number;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): perftools.profiles.Line & perftools.profiles.Line.$Shape;
        }

        namespace Line {
            interface $Properties {
                functionId?: (number|null);
                line?: (number|null);
                column?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = perftools.profiles.Line.$Properties;
        }

        interface IFunction extends perftools.profiles.Function.$Properties {
        }

        class Function {
            constructor(properties?: perftools.profiles.Function.$Properties);
            $unknowns?: Uint8Array[];
            id: number;
            name: number;
            systemName: number;
            filename: number;
            startLine: number;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): perftools.profiles.Function & perftools.profiles.Function.$Shape;
        }

        namespace Function {
            interface $Properties {
                id?: (number|null);
                name?: (number|null);
                systemName?: (number|null);
                filename?: (number|null);
                startLine?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = perftools.profiles.Function.$Properties;
        }
    }
}
